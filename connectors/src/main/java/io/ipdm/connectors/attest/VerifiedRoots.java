package io.ipdm.connectors.attest;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * {@code verified_only}: keyed by the row's root CID, lets a row through only once the node says
 * its root is verified (its attestation quorum under the node's trust list). Rows of a root still
 * pending are held in state and asked about again every {@code poll}; rows of a disputed root, of a
 * root still pending after {@code timeout}, or whose {@code root_cid} is not a CID are dropped and
 * counted ({@code rootsDropped}, {@code rowsDropped}). A verified answer is remembered per subtask.
 *
 * <p>Threading: runs on the task thread; each question is one blocking HTTP request to the node's
 * loopback admin endpoint.
 */
public final class VerifiedRoots extends KeyedProcessFunction<String, Row, Row> {
    private final String nodeName;
    private final RowTypeInfo type;
    private final long pollMillis;
    private final long timeoutMillis;
    private transient NodeClient node;
    private transient ListState<Row> held;
    private transient ValueState<Long> since;
    private transient java.util.Set<String> verified;
    private transient Counter rowsDropped;
    private transient Counter rootsDropped;

    /**
     * @param node the node to ask: a lake directory of a running node or its admin URL (resolved
     *     when the task starts, so validating a pipeline needs no running node)
     */
    public VerifiedRoots(String node, RowTypeInfo type, Duration poll, Duration timeout) {
        this.nodeName = node;
        this.type = type;
        this.pollMillis = poll.toMillis();
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        node = NodeClient.locate(nodeName, Duration.ofSeconds(30));
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("unverified-rows", type));
        since = getRuntimeContext().getState(new ValueStateDescriptor<>("held-since", Types.LONG));
        verified = new java.util.HashSet<>();
        rowsDropped = getRuntimeContext().getMetricGroup().counter("rowsDropped");
        rootsDropped = getRuntimeContext().getMetricGroup().counter("rootsDropped");
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Row> out) throws Exception {
        String root = ctx.getCurrentKey();
        if (verified.contains(root)) {
            out.collect(row);
            return;
        }
        held.add(row);
        if (since.value() == null) {
            since.update(ctx.timerService().currentProcessingTime());
            decide(root, ctx.timerService().currentProcessingTime(), ctx.timerService(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        decide(ctx.getCurrentKey(), timestamp, ctx.timerService(), out);
    }

    private void decide(
            String root,
            long now,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<Row> out)
            throws Exception {
        String state = state(root);
        switch (state) {
            case "verified" -> {
                verified.add(root);
                for (Row r : held.get()) {
                    out.collect(r);
                }
                clear();
            }
            case "pending" -> {
                if (now - since.value() >= timeoutMillis) {
                    drop();
                } else {
                    timers.registerProcessingTimeTimer(now + pollMillis);
                }
            }
            default -> drop();
        }
    }

    private String state(String root) throws IOException {
        try {
            Cid.parse(root);
        } catch (MultiformatException | NullPointerException e) {
            return "invalid";
        }
        return node.verdict(Cid.parse(root));
    }

    private void drop() throws Exception {
        long n = 0;
        for (Row ignored : held.get()) {
            n++;
        }
        rowsDropped.inc(n);
        rootsDropped.inc();
        clear();
    }

    private void clear() {
        held.clear();
        since.clear();
    }
}
