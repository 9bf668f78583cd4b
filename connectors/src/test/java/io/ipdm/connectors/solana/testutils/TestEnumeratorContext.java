package io.ipdm.connectors.solana.testutils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** An in-memory enumerator context that records assignments; async calls run inline. */
public final class TestEnumeratorContext<S extends SourceSplit>
        implements SplitEnumeratorContext<S> {
    private final int parallelism;
    public final Map<Integer, List<S>> assigned = new HashMap<>();
    public final Set<Integer> noMoreSplits = new HashSet<>();

    public TestEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        Map<Integer, ReaderInfo> readers = new HashMap<>();
        for (int i = 0; i < parallelism; i++) {
            readers.put(i, new ReaderInfo(i, "localhost"));
        }
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<S> newSplitAssignments) {
        newSplitAssignments
                .assignment()
                .forEach((k, v) -> assigned.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        try {
            handler.accept(callable.call(), null);
        } catch (Exception e) {
            handler.accept(null, e);
        }
    }

    @Override
    public <T> void callAsync(
            Callable<T> callable,
            BiConsumer<T, Throwable> handler,
            long initialDelay,
            long period) {
        callAsync(callable, handler);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
