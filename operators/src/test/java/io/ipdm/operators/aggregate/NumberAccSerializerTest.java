package io.ipdm.operators.aggregate;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class NumberAccSerializerTest extends SerializerTestBase<NumberAcc> {
    @Override
    protected TypeSerializer<NumberAcc> createSerializer() {
        return NumberAccSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return 24;
    }

    @Override
    protected Class<NumberAcc> getTypeClass() {
        return NumberAcc.class;
    }

    @Override
    protected NumberAcc[] getTestData() {
        return new NumberAcc[] {
            new NumberAcc(),
            new NumberAcc(3, 42, 0),
            new NumberAcc(1, Long.MIN_VALUE, Double.NaN),
            new NumberAcc(Long.MAX_VALUE, -1, Double.NEGATIVE_INFINITY)
        };
    }
}
