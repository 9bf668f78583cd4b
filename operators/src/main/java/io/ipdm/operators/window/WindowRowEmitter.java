package io.ipdm.operators.window;

import java.io.Serial;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/** Emits a window's result: key fields, window_start, window_end, then the aggregates. */
final class WindowRowEmitter extends ProcessWindowFunction<Row, Row, Row, TimeWindow> {
    @Serial private static final long serialVersionUID = 1L;

    private final int keyArity; // 0 for the constant key

    WindowRowEmitter(int keyArity) {
        this.keyArity = keyArity;
    }

    @Override
    public void process(Row key, Context context, Iterable<Row> aggregates, Collector<Row> out) {
        TimeWindow w = context.window();
        for (Row agg : aggregates) {
            Row row = new Row(keyArity + 2 + agg.getArity());
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
}
