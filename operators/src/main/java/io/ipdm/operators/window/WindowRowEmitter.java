package io.ipdm.operators.window;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * Emits a window's result: key fields, window_start, window_end, then the aggregates. With allowed
 * lateness a window can fire again; such a row supersedes the earlier one and is marked {@link
 * RowKind#UPDATE_AFTER} (first results are {@link RowKind#INSERT}). For sessions, a row is an
 * update when its session contains one that already fired (a late event grew or merged it).
 */
final class WindowRowEmitter extends ProcessWindowFunction<Row, Row, Row, TimeWindow> {
    @Serial private static final long serialVersionUID = 1L;

    /** Windows of the current key that have fired and are not yet purged. */
    private static final MapStateDescriptor<TimeWindow, Boolean> FIRED =
            new MapStateDescriptor<>(
                    "fired-windows", new TimeWindow.Serializer(), BooleanSerializer.INSTANCE);

    private final int keyArity; // 0 for the constant key
    private final boolean canFireAgain; // allowed lateness > 0
    private final boolean merging; // session windows

    WindowRowEmitter(int keyArity, boolean canFireAgain, boolean merging) {
        this.keyArity = keyArity;
        this.canFireAgain = canFireAgain;
        this.merging = merging;
    }

    @Override
    public void process(Row key, Context context, Iterable<Row> aggregates, Collector<Row> out)
            throws Exception {
        TimeWindow w = context.window();
        RowKind kind =
                canFireAgain && firedBefore(context, w) ? RowKind.UPDATE_AFTER : RowKind.INSERT;
        for (Row agg : aggregates) {
            Row row = new Row(kind, keyArity + 2 + agg.getArity());
            for (int i = 0; i < keyArity; i++) {
                row.setField(i, key.getField(i));
            }
            row.setField(keyArity, w.getStart());
            row.setField(keyArity + 1, w.getEnd());
            for (int i = 0; i < agg.getArity(); i++) {
                row.setField(keyArity + 2 + i, agg.getField(i));
            }
            out.collect(row);
        }
    }

    /** Records {@code w} as fired; true when it (or, for sessions, a part of it) fired before. */
    private boolean firedBefore(Context context, TimeWindow w) throws Exception {
        MapState<TimeWindow, Boolean> fired = context.globalState().getMapState(FIRED);
        boolean before = merging ? !within(fired, w).isEmpty() : fired.contains(w);
        fired.put(w, true);
        return before;
    }

    @Override
    public void clear(Context context) throws Exception {
        if (!canFireAgain) {
            return;
        }
        MapState<TimeWindow, Boolean> fired = context.globalState().getMapState(FIRED);
        if (merging) {
            for (TimeWindow old : within(fired, context.window())) {
                fired.remove(old);
            }
        } else {
            fired.remove(context.window());
        }
    }

    /** Fired sessions inside {@code w}: merging only ever grows a session over earlier ones. */
    private static List<TimeWindow> within(MapState<TimeWindow, Boolean> fired, TimeWindow w)
            throws Exception {
        List<TimeWindow> out = new ArrayList<>();
        for (TimeWindow old : fired.keys()) {
            if (old.getStart() >= w.getStart() && old.getEnd() <= w.getEnd()) {
                out.add(old);
            }
        }
        return out;
    }
}
