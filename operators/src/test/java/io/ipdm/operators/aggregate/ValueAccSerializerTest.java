package io.ipdm.operators.aggregate;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class ValueAccSerializerTest extends SerializerTestBase<ValueAcc> {
    @Override
    protected TypeSerializer<ValueAcc> createSerializer() {
        return new ValueAccSerializer(Types.STRING.createSerializer(new SerializerConfigImpl()));
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ValueAcc> getTypeClass() {
        return ValueAcc.class;
    }

    @Override
    protected ValueAcc[] getTestData() {
        return new ValueAcc[] {new ValueAcc(), new ValueAcc(5, "sig"), new ValueAcc(-1, "")};
    }
}
