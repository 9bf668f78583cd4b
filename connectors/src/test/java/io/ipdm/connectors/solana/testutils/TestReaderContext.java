package io.ipdm.connectors.solana.testutils;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** A real, in-memory reader context: counts split requests and keeps the reader's counters. */
public final class TestReaderContext implements SourceReaderContext {
    private final int subtask;
    private final int parallelism;
    public int splitRequests;
    public final java.util.List<SourceEvent> events =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The counters the reader registered, by name. */
    public final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final SourceReaderMetricGroup metrics =
            InternalSourceReaderMetricGroup.mock(
                    new UnregisteredMetricsGroup() {
                        @Override
                        public Counter counter(String name) {
                            return counter(name, new SimpleCounter());
                        }

                        @Override
                        public <C extends Counter> C counter(String name, C counter) {
                            counters.put(name, counter);
                            return counter;
                        }
                    });

    public TestReaderContext() {
        this(0, 1);
    }

    public TestReaderContext(int subtask, int parallelism) {
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    @Override
    public SourceReaderMetricGroup metricGroup() {
        return metrics;
    }

    @Override
    public Configuration getConfiguration() {
        return new Configuration();
    }

    @Override
    public String getLocalHostName() {
        return "localhost";
    }

    @Override
    public int getIndexOfSubtask() {
        return subtask;
    }

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public void sendSplitRequest() {
        splitRequests++;
    }

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
        events.add(sourceEvent);
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }
}
