package io.ipdm.connectors.lakes;

import io.ipdm.connectors.attest.NodeClient;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verified_only} for window roots: a window's split goes to a reader only once the node says
 * its root is verified (an attestation quorum under the node's trust list). Roots the node calls
 * disputed, or still pending after {@code timeout}, are never read; they are logged and counted
 * ({@code rootsDropped}). Undecided roots are asked about again every {@code poll}, off the
 * coordinator thread ({@link SplitEnumeratorContext#callAsync}); readers asking for a split while
 * some are undecided wait for the answer.
 *
 * <p>Threading: every method runs on the coordinator thread except the question to the node, which
 * reads a snapshot of the undecided splits and hands its answers back to that thread.
 */
final class VerifiedWindowsEnumerator implements SplitEnumerator<LakeSplit, Collection<LakeSplit>> {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedWindowsEnumerator.class);

    private final SplitEnumeratorContext<LakeSplit> ctx;
    private final String node;
    private final long pollMillis;
    private final long timeoutMillis;
    private final Deque<LakeSplit> ready = new ArrayDeque<>();
    private final Map<String, LakeSplit> undecided = new LinkedHashMap<>();
    private final Map<String, Long> since = new HashMap<>();
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private volatile List<LakeSplit> toAsk = List.of();
    private NodeClient client;
    private Counter rootsDropped;

    VerifiedWindowsEnumerator(
            SplitEnumeratorContext<LakeSplit> ctx,
            Collection<LakeSplit> splits,
            String node,
            Duration poll,
            Duration timeout) {
        this.ctx = ctx;
        this.node = node;
        this.pollMillis = poll.toMillis();
        this.timeoutMillis = timeout.toMillis();
        for (LakeSplit s : splits) {
            undecided.put(s.splitId(), s);
        }
    }

    @Override
    public void start() {
        client = NodeClient.locate(node, Duration.ofSeconds(30));
        rootsDropped = ctx.metricGroup().counter("rootsDropped");
        toAsk = List.copyOf(undecided.values());
        ctx.callAsync(this::ask, this::decided, 0, pollMillis);
    }

    /** Off the coordinator thread: the node's verdict per undecided split. */
    private Map<LakeSplit, String> ask() throws IOException {
        Map<LakeSplit, String> out = new LinkedHashMap<>();
        for (LakeSplit s : toAsk) {
            out.put(s, client.verdict(Cid.parse(s.ref())));
        }
        return out;
    }

    private void decided(Map<LakeSplit, String> verdicts, Throwable error) {
        long now = System.currentTimeMillis();
        if (error != null) {
            // the node is unreachable: roots stay undecided until their timeout
            LOG.warn("verified_only: asking node {} failed: {}", node, error.toString());
            verdicts = Map.of();
        }
        for (LakeSplit s : List.copyOf(undecided.values())) {
            String v = verdicts.getOrDefault(s, "pending");
            long first = since.computeIfAbsent(s.splitId(), k -> now);
            switch (v) {
                case "verified" -> {
                    undecided.remove(s.splitId());
                    ready.add(s);
                }
                case "pending" -> {
                    if (now - first >= timeoutMillis) {
                        drop(s, "still pending after " + Duration.ofMillis(timeoutMillis));
                    }
                }
                default -> drop(s, v);
            }
        }
        toAsk = List.copyOf(undecided.values());
        for (Integer r : List.copyOf(waiting)) {
            serve(r);
        }
    }

    private void drop(LakeSplit s, String why) {
        undecided.remove(s.splitId());
        rootsDropped.inc();
        LOG.warn("verified_only: window root {} not read: the node {} says {}", s.ref(), node, why);
    }

    @Override
    public void handleSplitRequest(int subtask, String host) {
        serve(subtask);
    }

    private void serve(int subtask) {
        if (!ready.isEmpty()) {
            waiting.remove(subtask);
            ctx.assignSplit(ready.poll(), subtask);
        } else if (undecided.isEmpty()) {
            waiting.remove(subtask);
            ctx.signalNoMoreSplits(subtask);
        } else {
            waiting.add(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<LakeSplit> splits, int subtask) {
        ready.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {}

    @Override
    public Collection<LakeSplit> snapshotState(long checkpointId) {
        List<LakeSplit> out = new ArrayList<>(ready);
        out.addAll(undecided.values());
        return out;
    }

    @Override
    public void close() {}
}
