package io.ipdm.operators.aggregate;

import java.util.HashMap;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class ItemCountsSerializerTest extends SerializerTestBase<HashMap<String, Long>> {
    @Override
    protected TypeSerializer<HashMap<String, Long>> createSerializer() {
        return ItemCountsSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected Class<HashMap<String, Long>> getTypeClass() {
        return (Class) HashMap.class;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected HashMap<String, Long>[] getTestData() {
        HashMap<String, Long> two = new HashMap<>();
        two.put("Vote111", 10L);
        two.put("ünïcode", 3L);
        return new HashMap[] {new HashMap<>(), two};
    }
}
