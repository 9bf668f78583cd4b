package io.ipdm.operators.aggregate;

import io.ipdm.operators.aggregate.sketch.FrequentItems;
import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * Approximate top_k with a {@link FrequentItems} sketch of max(256, 32 k) counters: counts are
 * exact while a window has fewer distinct values than that; beyond, a reported count may be below
 * the true count by at most the sketch's max error (about 2 n / capacity).
 */
final class TopKAggregator implements Aggregator<FrequentItems> {
    @Serial private static final long serialVersionUID = 1L;

    static final int MIN_CAPACITY = 256;

    private final int position;
    private final int k;
    private final int capacity;

    TopKAggregator(int position, int k) {
        this.position = position;
        this.k = k;
        this.capacity = Math.max(MIN_CAPACITY, 32 * k);
    }

    @Override
    public FrequentItems createAccumulator() {
        return new FrequentItems(capacity);
    }

    @Override
    public FrequentItems add(FrequentItems acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.add(v.toString());
        }
        return acc;
    }

    @Override
    public FrequentItems merge(FrequentItems a, FrequentItems b) {
        return a.merge(b);
    }

    @Override
    public Object result(FrequentItems acc) {
        Map<String, Long> top = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : acc.top(k)) {
            top.put(e.getKey(), e.getValue());
        }
        return TopKFormat.format(top, k);
    }

    @Override
    public TypeInformation<?> resultType() {
        return Types.STRING;
    }

    @Override
    public TypeSerializer<FrequentItems> accumulatorSerializer(SerializerConfig config) {
        return SketchSerializer.Items.INSTANCE;
    }
}
