package io.ipdm.operators.aggregate;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class DoubleListSerializerTest extends SerializerTestBase<DoubleList> {
    @Override
    protected TypeSerializer<DoubleList> createSerializer() {
        return DoubleListSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<DoubleList> getTypeClass() {
        return DoubleList.class;
    }

    @Override
    protected DoubleList[] getTestData() {
        DoubleList many = new DoubleList();
        for (int i = 0; i < 100; i++) {
            many.add(i * 0.5);
        }
        return new DoubleList[] {new DoubleList(), new DoubleList(new double[] {1.5, -2}, 2), many};
    }
}
