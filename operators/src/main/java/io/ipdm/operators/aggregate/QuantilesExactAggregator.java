package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * Exact quantiles: keeps every value. The quantile at rank r of n sorted values is the value at
 * position ceil(r * n) (1-based, at least 1): the smallest value with at least r * n values at or
 * below it, the same rule as the KLL sketch's inclusive search.
 */
final class QuantilesExactAggregator implements Aggregator<DoubleList> {
    @Serial private static final long serialVersionUID = 1L;

    private final int position;
    private final double[] ranks;

    QuantilesExactAggregator(int position, double[] ranks) {
        this.position = position;
        this.ranks = ranks;
    }

    @Override
    public DoubleList createAccumulator() {
        return new DoubleList();
    }

    @Override
    public DoubleList add(DoubleList acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.add(((Number) v).doubleValue());
        }
        return acc;
    }

    @Override
    public DoubleList merge(DoubleList a, DoubleList b) {
        a.addAll(b);
        return a;
    }

    @Override
    public Object result(DoubleList acc) {
        if (acc.size == 0) {
            return null;
        }
        double[] sorted = acc.toArray();
        Arrays.sort(sorted);
        Double[] out = new Double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            out[i] = sorted[index(ranks[i], sorted.length)];
        }
        return out;
    }

    static int index(double rank, int n) {
        long pos = (long) Math.ceil(rank * n);
        return (int) Math.min(n - 1, Math.max(0, pos - 1));
    }

    @Override
    public TypeInformation<?> resultType() {
        return BasicArrayTypeInfo.DOUBLE_ARRAY_TYPE_INFO;
    }

    @Override
    public TypeSerializer<DoubleList> accumulatorSerializer(SerializerConfig config) {
        return DoubleListSerializer.INSTANCE;
    }
}
