package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

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

    /** Version 1 layout, pinned: a change must fail here and then read these bytes too. */
    static final String STATE_V1 =
            "003b6261666b7265696864776463656667683464716b6a763637757a636d77376f6a6565367865647a6465746f6a757a6a657674656e78717576796b750000000301020300000001103ff8000000000000";

    static final String SNAPSHOT_V1 =
            "0039696f2e6970646d2e6f70657261746f72732e7761736d2e5761736d416363756d756c61746f7253657269616c697a"
                    + "657224536e617073686f7400000003000de70400000001001457fd0000000100000001004f6f72672e6170616368652e"
                    + "666c696e6b2e6170692e6a6176612e747970657574696c732e72756e74696d652e526f7753657269616c697a65722452"
                    + "6f7753657269616c697a6572536e617073686f7400000003000de7040000000401001457fd000000010000000200546f"
                    + "72672e6170616368652e666c696e6b2e6170692e636f6d6d6f6e2e747970657574696c732e626173652e446f75626c65"
                    + "53657269616c697a657224446f75626c6553657269616c697a6572536e617073686f740000000300546f72672e617061"
                    + "6368652e666c696e6b2e6170692e636f6d6d6f6e2e747970657574696c732e626173652e446f75626c6553657269616c"
                    + "697a657224446f75626c6553657269616c697a6572536e617073686f7400000003";

    static WasmAccumulator reference() {
        return new WasmAccumulator(CID, new byte[] {1, 2, 3}, List.of(Row.of(1.5, null)));
    }

    @Test
    void stateBytesOfVersion1() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        createSerializer().serialize(reference(), out);
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(STATE_V1);
        assertThat(
                        createSerializer()
                                .deserialize(
                                        new DataInputDeserializer(
                                                HexFormat.of().parseHex(STATE_V1))))
                .isEqualTo(reference());
    }

    @Test
    void snapshotOfVersion1RestoresTheSameSerializer() throws IOException {
        TypeSerializer<WasmAccumulator> serializer = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(SNAPSHOT_V1);
        TypeSerializerSnapshot<WasmAccumulator> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(HexFormat.of().parseHex(SNAPSHOT_V1)),
                        getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void aCorruptLengthFailsWithoutAllocating() {
        byte[] bad = HexFormat.of().parseHex("0001" + "61" + "7fffffff");
        assertThatThrownBy(() -> createSerializer().deserialize(new DataInputDeserializer(bad)))
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt WASM aggregate state: blob length 2147483647 (max 67108864)");
    }
}
