package io.ipdm.operators.wasm;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

class WasmAccumulatorSerializerTest extends SerializerTestBase<WasmAccumulator> {
    static final RowTypeInfo PENDING =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.DOUBLE, Types.DOUBLE},
                    new String[] {"price", "amount"});

    static final String CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    @Override
    protected TypeSerializer<WasmAccumulator> createSerializer() {
        return new WasmAccumulatorTypeInfo(PENDING).createSerializer(new SerializerConfigImpl());
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<WasmAccumulator> getTypeClass() {
        return WasmAccumulator.class;
    }

    @Override
    protected WasmAccumulator[] getTestData() {
        return new WasmAccumulator[] {
            new WasmAccumulator(CID, new byte[0], List.of()),
            new WasmAccumulator(CID, new byte[] {1, 2, 3, -1}, List.of(Row.of(1.5, 2.0))),
            new WasmAccumulator(
                    "",
                    new byte[40],
                    List.of(Row.of(null, 1.0), Row.of(3.0, null), Row.of(0.0, 0.0)))
        };
    }
}
