package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.io.Serial;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Aggregates a window's rows when it fires, for windows whose aggregates keep every value anyway
 * (exact quantiles, count_distinct, top_k). Their rows sit in Flink's append-only window list
 * state, so on RocksDB an arriving row is one appended entry; an incremental accumulator would be
 * read, grown and written back whole for every row (quadratic in the window's size). Heap and
 * RocksDB then cost about the same. The result row is emitted by {@link WindowRowEmitter}, so
 * updates from late rows are marked as with incremental windows.
 */
final class BufferedWindowFunction extends ProcessWindowFunction<Row, Row, Row, TimeWindow> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowAggregateFunction function;
    private final WindowRowEmitter emitter;

    BufferedWindowFunction(RowAggregateFunction function, WindowRowEmitter emitter) {
        this.function = function;
        this.emitter = emitter;
    }

    @Override
    public void process(Row key, Context context, Iterable<Row> rows, Collector<Row> out)
            throws Exception {
        Object[] acc = function.createAccumulator();
        for (Row r : rows) {
            acc = function.add(r, acc);
        }
        emitter.process(key, context, List.of(function.getResult(acc)), out);
    }

    @Override
    public void clear(Context context) throws Exception {
        emitter.clear(context);
    }
}
