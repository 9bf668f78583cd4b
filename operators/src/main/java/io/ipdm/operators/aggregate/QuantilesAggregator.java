package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * Approximate quantiles with a KLL sketch (k = 200: rank error about 1.65%, exact while a window
 * has at most k values). Inclusive search, the same rule as {@link QuantilesExactAggregator}.
 */
final class QuantilesAggregator implements Aggregator<KllDoublesSketch> {
    @Serial private static final long serialVersionUID = 1L;

    static final int DEFAULT_K = 200;

    private final int position;
    private final double[] ranks;

    QuantilesAggregator(int position, double[] ranks) {
        this.position = position;
        this.ranks = ranks;
    }

    @Override
    public KllDoublesSketch createAccumulator() {
        return KllDoublesSketch.newHeapInstance(DEFAULT_K);
    }

    @Override
    public KllDoublesSketch add(KllDoublesSketch acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            double d = ((Number) v).doubleValue();
            if (!Double.isNaN(d)) {
                acc.update(d);
            }
        }
        return acc;
    }

    @Override
    public KllDoublesSketch merge(KllDoublesSketch a, KllDoublesSketch b) {
        a.merge(b);
        return a;
    }

    @Override
    public Object result(KllDoublesSketch acc) {
        if (acc.isEmpty()) {
            return null;
        }
        double[] q = acc.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
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
    public TypeSerializer<KllDoublesSketch> accumulatorSerializer(SerializerConfig config) {
        return KllSketchSerializer.INSTANCE;
    }
}
