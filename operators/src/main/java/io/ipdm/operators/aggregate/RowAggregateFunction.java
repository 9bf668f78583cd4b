package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Runs several aggregators over the same rows. The accumulator is an array with one accumulator per
 * aggregator (typed by {@link AccumulatorsTypeInfo}); the result is a row of their results, a
 * {@link MultiColumnAggregator}'s result spread over its columns.
 */
public final class RowAggregateFunction implements AggregateFunction<Row, Object[], Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final Aggregator<Object>[] aggregators;
    private final int width; // output columns

    @SuppressWarnings("unchecked")
    public RowAggregateFunction(List<Aggregator<?>> aggregators) {
        this.aggregators = aggregators.toArray(new Aggregator[0]);
        int w = 0;
        for (Aggregator<?> a : this.aggregators) {
            w += width(a);
        }
        this.width = w;
    }

    private static int width(Aggregator<?> a) {
        return a instanceof MultiColumnAggregator<?> m ? m.resultType().getArity() : 1;
    }

    /** Whether every aggregator {@link Aggregator#mergesExactly() merges exactly}. */
    public boolean mergesExactly() {
        for (Aggregator<Object> a : aggregators) {
            if (!a.mergesExactly()) {
                return false;
            }
        }
        return true;
    }

    /** The type of the accumulator array, with explicit serializers. */
    public AccumulatorsTypeInfo accumulatorType() {
        return new AccumulatorsTypeInfo(List.of(aggregators));
    }

    /**
     * The type of {@link #getResult}: one field per aggregator (one per column of a {@link
     * MultiColumnAggregator}), named as given.
     */
    public RowTypeInfo resultType(List<String> names) {
        TypeInformation<?>[] types = new TypeInformation<?>[width];
        int c = 0;
        for (Aggregator<Object> a : aggregators) {
            if (a instanceof MultiColumnAggregator<?> m) {
                for (TypeInformation<?> t : m.resultType().getFieldTypes()) {
                    types[c++] = t;
                }
            } else {
                types[c++] = a.resultType();
            }
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
        Row out = new Row(width);
        int c = 0;
        for (int i = 0; i < acc.length; i++) {
            Object r = aggregators[i].result(acc[i]);
            if (aggregators[i] instanceof MultiColumnAggregator<?>) {
                Row cols = (Row) r;
                for (int j = 0; j < cols.getArity(); j++) {
                    out.setField(c++, cols.getField(j));
                }
            } else {
                out.setField(c++, r);
            }
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
