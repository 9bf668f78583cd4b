package io.ipdm.connectors.lakes;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.window.WindowArchive;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@code window_end}: buffers a window's result rows in Flink state until the watermark
 * passes the window's end (so every row of the window has arrived), then writes them to the lake as
 * a {@link WindowArchive} and emits {@code (window_start, window_end, root_cid, row_count)}; with
 * no lake ({@code options} null) it emits the archive's blocks instead, as a CAR v1 in a fifth
 * field {@code blocks} (what attestations hand to a node).
 *
 * <p>Exactly once: rows live in checkpointed state until the timer fires; the blocks are
 * content-addressed and the rows canonically ordered, so a replay after a failure writes the same
 * blocks (a no-op) and emits the same root CID. The lake write is synced before the root is
 * emitted.
 */
final class LakesWindowWriter extends KeyedProcessFunction<Long, Row, Row> {
    private final LakesSinkOptions options;
    private final RowTypeInfo inputType;
    private final int startIndex;
    private transient ListState<Row> rows;
    private transient TieredStore store;

    LakesWindowWriter(LakesSinkOptions options, RowTypeInfo inputType, int startIndex) {
        this.options = options;
        this.inputType = inputType;
        this.startIndex = startIndex;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        rows =
                getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("window-rows", inputType));
        if (options != null) {
            store =
                    LakeRegistry.acquire(
                            options.lakeDir(), options.hotBytes(), options.coldArchiveBytes());
        }
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Row> out) throws Exception {
        rows.add(row);
        ctx.timerService().registerEventTimeTimer(ctx.getCurrentKey());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        List<List<Object>> values = new ArrayList<>();
        long start = Long.MIN_VALUE;
        for (Row r : rows.get()) {
            values.add(RowValues.toIpld(r, inputType));
            start = (Long) r.getField(startIndex);
        }
        if (values.isEmpty()) {
            return;
        }
        long end = ctx.getCurrentKey();
        List<Block> blocks =
                WindowArchive.encode(start, end, Arrays.asList(inputType.getFieldNames()), values);
        Cid root = blocks.get(blocks.size() - 1).cid();
        if (store == null) {
            ByteArrayOutputStream car = new ByteArrayOutputStream();
            CarWriter w = new CarWriter(car, List.of(root));
            for (Block b : blocks) {
                w.write(b);
            }
            out.collect(
                    Row.of(start, end, root.toString(), (long) values.size(), car.toByteArray()));
        } else {
            store.putAll(blocks);
            store.pin(root); // so `lake gc` keeps the window
            out.collect(Row.of(start, end, root.toString(), (long) values.size()));
        }
        rows.clear();
    }

    @Override
    public void close() throws Exception {
        if (store != null) {
            store = null;
            LakeRegistry.release(options.lakeDir());
        }
    }
}
