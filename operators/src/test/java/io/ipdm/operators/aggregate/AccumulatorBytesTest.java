package io.ipdm.operators.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * Version 1 of the accumulator state, pinned as reference bytes: a change to any accumulator's
 * layout or to the serializer snapshot must fail here (and then needs a new version that still
 * reads these bytes).
 */
class AccumulatorBytesTest {
    static final RowTypeInfo IN =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG, Types.LONG},
                    new String[] {"payer", "fee", "block_time"});

    static final List<AggregateSpec> SPECS =
            List.of(
                    AggregateSpec.count("n"),
                    AggregateSpec.sum("fees", "fee"),
                    AggregateSpec.avg("avg_fee", "fee"),
                    AggregateSpec.first("first_payer", "payer", "block_time"),
                    AggregateSpec.countDistinct("payers", "payer", Precision.EXACT),
                    AggregateSpec.countDistinct("payers_approx", "payer", Precision.APPROXIMATE),
                    AggregateSpec.topK("top", "payer", 2, Precision.EXACT),
                    AggregateSpec.topK("top_approx", "payer", 2, Precision.APPROXIMATE),
                    AggregateSpec.quantiles("q", "fee", List.of(0.5), Precision.EXACT),
                    AggregateSpec.quantiles(
                            "q_approx", "fee", List.of(0.5), Precision.APPROXIMATE));

    static final String STATE_V1 =
            "0000000000000003000000000000000000000000000000000000000000000003000000000000003c0000000000000000"
                    + "0000000000000003000000000000003c000000000000000001000000000000006402610000000202610262010c000000"
                    + "0002882c41c0bb0ff95e25ad9d1b70de62d1000000020001610000000000000002000162000000000000000101000001"
                    + "000000000000000003000000000000000000000002000161000000000000000200016200000000000000010000000340"
                    + "3e0000000000004024000000000000403400000000000001000000c800000000000000034024000000000000403e0000"
                    + "00000000000000010000000003403e00000000000040240000000000004034000000000000";
    static final String SNAPSHOT_V1 =
            "003b696f2e6970646d2e6f70657261746f72732e6167677265676174652e416363756d756c61746f727353657269616c"
                    + "697a657224536e617073686f7400000003000de70400000001001457fd000000010000000a0038696f2e6970646d2e6f"
                    + "70657261746f72732e6167677265676174652e4e756d62657241636353657269616c697a657224536e617073686f7400"
                    + "0000030038696f2e6970646d2e6f70657261746f72732e6167677265676174652e4e756d62657241636353657269616c"
                    + "697a657224536e617073686f74000000030038696f2e6970646d2e6f70657261746f72732e6167677265676174652e4e"
                    + "756d62657241636353657269616c697a657224536e617073686f74000000030037696f2e6970646d2e6f70657261746f"
                    + "72732e6167677265676174652e56616c756541636353657269616c697a657224536e617073686f7400000003000de704"
                    + "00000001001457fd000000010000000100546f72672e6170616368652e666c696e6b2e6170692e636f6d6d6f6e2e7479"
                    + "70657574696c732e626173652e537472696e6753657269616c697a657224537472696e6753657269616c697a6572536e"
                    + "617073686f7400000003003a696f2e6970646d2e6f70657261746f72732e6167677265676174652e44697374696e6374"
                    + "53657453657269616c697a657224536e617073686f7400000003000de70400000001001457fd00000001000000010054"
                    + "6f72672e6170616368652e666c696e6b2e6170692e636f6d6d6f6e2e747970657574696c732e626173652e537472696e"
                    + "6753657269616c697a657224537472696e6753657269616c697a6572536e617073686f74000000030038696f2e697064"
                    + "6d2e6f70657261746f72732e6167677265676174652e536b6574636853657269616c697a657224486c6c536e61707368"
                    + "6f74000000030039696f2e6970646d2e6f70657261746f72732e6167677265676174652e4974656d436f756e74735365"
                    + "7269616c697a657224536e617073686f7400000003003a696f2e6970646d2e6f70657261746f72732e61676772656761"
                    + "74652e536b6574636853657269616c697a6572244974656d73536e617073686f74000000030039696f2e6970646d2e6f"
                    + "70657261746f72732e6167677265676174652e446f75626c654c69737453657269616c697a657224536e617073686f74"
                    + "000000030038696f2e6970646d2e6f70657261746f72732e6167677265676174652e536b6574636853657269616c697a"
                    + "6572244b6c6c536e617073686f7400000003";

    static RowAggregateFunction function() {
        return new RowAggregateFunction(
                SPECS.stream().<Aggregator<?>>map(s -> Aggregators.create(s, IN)).toList());
    }

    static TypeSerializer<Object[]> serializer() {
        return function().accumulatorType().createSerializer(new SerializerConfigImpl());
    }

    static Object[] accumulate() {
        RowAggregateFunction f = function();
        Object[] acc = f.createAccumulator();
        f.add(Row.of("b", 30L, 101L), acc);
        f.add(Row.of("a", 10L, 100L), acc);
        f.add(Row.of("a", 20L, 102L), acc);
        return acc;
    }

    static final String EXPECTED_RESULT =
            "+I[3, 60, 20.0, a, 2, 2, a:2,b:1, a:2,b:1, [20.0], [20.0]]";

    static String result(Object[] acc) {
        Row r = function().getResult(acc);
        StringBuilder sb = new StringBuilder("+I[");
        for (int i = 0; i < r.getArity(); i++) {
            Object v = r.getField(i);
            sb.append(i == 0 ? "" : ", ")
                    .append(v instanceof Double[] d ? List.of(d).toString() : v);
        }
        return sb.append(']').toString();
    }

    @Test
    void stateBytesOfVersion1() throws IOException {
        Object[] acc = accumulate();
        assertThat(result(acc)).isEqualTo(EXPECTED_RESULT);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer().serialize(acc, out);
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(STATE_V1);
    }

    @Test
    void readsVersion1State() throws IOException {
        Object[] acc =
                serializer()
                        .deserialize(new DataInputDeserializer(HexFormat.of().parseHex(STATE_V1)));
        assertThat(result(acc)).isEqualTo(EXPECTED_RESULT);
        // and the restored accumulators keep aggregating
        function().add(Row.of("c", 40L, 99L), acc);
        assertThat(result(acc))
                .isEqualTo("+I[4, 100, 25.0, c, 3, 3, a:2,b:1, a:2,b:1, [20.0], [20.0]]");
    }

    @Test
    void snapshotOfVersion1RestoresTheSameSerializer() throws IOException {
        TypeSerializer<Object[]> serializer = serializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(SNAPSHOT_V1);

        TypeSerializerSnapshot<Object[]> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(HexFormat.of().parseHex(SNAPSHOT_V1)),
                        getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<Object[]> compat =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }
}
