package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/** Exact top_k: counts every distinct value (by its string form). See {@link TopKFormat}. */
final class TopKExactAggregator implements Aggregator<HashMap<String, Long>> {
    @Serial private static final long serialVersionUID = 1L;

    private final int position;
    private final int k;

    TopKExactAggregator(int position, int k) {
        this.position = position;
        this.k = k;
    }

    @Override
    public HashMap<String, Long> createAccumulator() {
        return new HashMap<>();
    }

    @Override
    public HashMap<String, Long> add(HashMap<String, Long> acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.merge(v.toString(), 1L, Long::sum);
        }
        return acc;
    }

    @Override
    public HashMap<String, Long> merge(HashMap<String, Long> a, HashMap<String, Long> b) {
        for (Map.Entry<String, Long> e : b.entrySet()) {
            a.merge(e.getKey(), e.getValue(), Long::sum);
        }
        return a;
    }

    @Override
    public Object result(HashMap<String, Long> acc) {
        return TopKFormat.format(acc, k);
    }

    @Override
    public TypeInformation<?> resultType() {
        return Types.STRING;
    }

    @Override
    public TypeSerializer<HashMap<String, Long>> accumulatorSerializer(SerializerConfig config) {
        return ItemCountsSerializer.INSTANCE;
    }
}
