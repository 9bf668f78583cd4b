package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.HashSet;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/** Exact count_distinct: keeps every distinct non-null value. */
final class DistinctAggregator implements Aggregator<HashSet<Object>> {
    @Serial private static final long serialVersionUID = 1L;

    private final int position;
    private final TypeInformation<?> valueType;

    DistinctAggregator(int position, TypeInformation<?> valueType) {
        this.position = position;
        this.valueType = valueType;
    }

    @Override
    public HashSet<Object> createAccumulator() {
        return new HashSet<>();
    }

    @Override
    public HashSet<Object> add(HashSet<Object> acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.add(v);
        }
        return acc;
    }

    @Override
    public HashSet<Object> merge(HashSet<Object> a, HashSet<Object> b) {
        if (a.size() < b.size()) {
            b.addAll(a);
            return b;
        }
        a.addAll(b);
        return a;
    }

    @Override
    public Object result(HashSet<Object> acc) {
        return (long) acc.size();
    }

    @Override
    public TypeInformation<?> resultType() {
        return Types.LONG;
    }

    @Override
    public TypeSerializer<HashSet<Object>> accumulatorSerializer(SerializerConfig config) {
        return new DistinctSetSerializer(valueType.createSerializer(config));
    }
}
