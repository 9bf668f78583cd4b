package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Runs several aggregators over the same rows. The accumulator is an array with one accumulator per
 * aggregator (typed by {@link AccumulatorsTypeInfo}); the result is a row of their results.
 */
public final class RowAggregateFunction implements AggregateFunction<Row, Object[], Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final Aggregator<Object>[] aggregators;

    @SuppressWarnings("unchecked")
    public RowAggregateFunction(List<Aggregator<?>> aggregators) {
        this.aggregators = aggregators.toArray(new Aggregator[0]);
    }

    /** The type of the accumulator array, with explicit serializers. */
    public AccumulatorsTypeInfo accumulatorType() {
        return new AccumulatorsTypeInfo(List.of(aggregators));
    }

    /** The type of {@link #getResult}: one field per aggregator, named as given. */
    public RowTypeInfo resultType(List<String> names) {
        TypeInformation<?>[] types = new TypeInformation<?>[aggregators.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = aggregators[i].resultType();
        }
        return new RowTypeInfo(types, names.toArray(new String[0]));
    }

    @Override
    public Object[] createAccumulator() {
        Object[] acc = new Object[aggregators.length];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = aggregators[i].createAccumulator();
        }
        return acc;
    }

    @Override
    public Object[] add(Row row, Object[] acc) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] = aggregators[i].add(acc[i], row);
        }
        return acc;
    }

    @Override
    public Row getResult(Object[] acc) {
        Row out = new Row(acc.length);
        for (int i = 0; i < acc.length; i++) {
            out.setField(i, aggregators[i].result(acc[i]));
        }
        return out;
    }

    @Override
    public Object[] merge(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] = aggregators[i].merge(a[i], b[i]);
        }
        return a;
    }
}
