package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.io.Serial;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.types.Row;

/**
 * The window's side of pre-aggregation: adds {@link PaneCombiner}'s output to the window's
 * accumulator, merging a partial's accumulators or adding a row passed on alone. Accumulator and
 * result are those of the wrapped function, so the window's state is the same with or without
 * pre-aggregation.
 */
final class PartialMergeFunction implements AggregateFunction<Row, Object[], Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowAggregateFunction function;
    private final int keyArity;

    PartialMergeFunction(RowAggregateFunction function, int keyArity) {
        this.function = function;
        this.keyArity = keyArity;
    }

    @Override
    public Object[] createAccumulator() {
        return function.createAccumulator();
    }

    @Override
    public Object[] add(Row partial, Object[] acc) {
        Row row = (Row) partial.getField(keyArity + 1);
        return row != null
                ? function.add(row, acc)
                : function.merge(acc, (Object[]) partial.getField(keyArity));
    }

    @Override
    public Row getResult(Object[] acc) {
        return function.getResult(acc);
    }

    @Override
    public Object[] merge(Object[] a, Object[] b) {
        return function.merge(a, b);
    }
}
