package io.ipdm.operators.aggregate;

import io.ipdm.operators.aggregate.sketch.KllQuantiles;
import java.io.Serial;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * Approximate quantiles with a {@link KllQuantiles} sketch (k = 200: exact up to 200 values per
 * window, then about 1.5% rank error). Same inclusive rule as {@link QuantilesExactAggregator}.
 */
final class QuantilesAggregator implements Aggregator<KllQuantiles> {
    @Serial private static final long serialVersionUID = 1L;

    static final int K = 200;

    private final int position;
    private final double[] ranks;

    QuantilesAggregator(int position, double[] ranks) {
        this.position = position;
        this.ranks = ranks;
    }

    @Override
    public KllQuantiles createAccumulator() {
        return new KllQuantiles(K);
    }

    @Override
    public KllQuantiles add(KllQuantiles acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.add(((Number) v).doubleValue());
        }
        return acc;
    }

    @Override
    public KllQuantiles merge(KllQuantiles a, KllQuantiles b) {
        return a.merge(b);
    }

    @Override
    public Object result(KllQuantiles acc) {
        double[] q = acc.quantiles(ranks);
        if (q == null) {
            return null;
        }
        Double[] out = new Double[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i];
        }
        return out;
    }

    @Override
    public TypeInformation<?> resultType() {
        return BasicArrayTypeInfo.DOUBLE_ARRAY_TYPE_INFO;
    }

    @Override
    public TypeSerializer<KllQuantiles> accumulatorSerializer(SerializerConfig config) {
        return SketchSerializer.Kll.INSTANCE;
    }
}
