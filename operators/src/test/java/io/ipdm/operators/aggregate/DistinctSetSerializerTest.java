package io.ipdm.operators.aggregate;

import java.util.HashSet;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class DistinctSetSerializerTest extends SerializerTestBase<HashSet<Object>> {
    @Override
    protected TypeSerializer<HashSet<Object>> createSerializer() {
        return new DistinctSetSerializer(Types.LONG.createSerializer(new SerializerConfigImpl()));
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected Class<HashSet<Object>> getTypeClass() {
        return (Class) HashSet.class;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected HashSet<Object>[] getTestData() {
        return new HashSet[] {
            new HashSet<>(), new HashSet<Object>(List.of(1L, -5L, Long.MAX_VALUE))
        };
    }
}
