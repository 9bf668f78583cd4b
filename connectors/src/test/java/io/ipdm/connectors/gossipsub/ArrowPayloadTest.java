package io.ipdm.connectors.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class ArrowPayloadTest {
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        BasicTypeInfo.LONG_TYPE_INFO,
                        BasicTypeInfo.STRING_TYPE_INFO,
                        BasicTypeInfo.DOUBLE_TYPE_INFO,
                        BasicTypeInfo.INT_TYPE_INFO,
                        BasicTypeInfo.BOOLEAN_TYPE_INFO,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO
                    },
                    new String[] {"slot", "root_cid", "fee", "count", "ok", "blob"});

    static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(
                    Row.of(
                            i % 7 == 0 ? null : (long) i,
                            i % 5 == 0 ? null : "bafy-" + i,
                            i * 0.25,
                            i % 3 == 0 ? null : -i,
                            i % 2 == 0,
                            i % 4 == 0 ? null : new byte[] {(byte) i, 1}));
        }
        return rows;
    }

    @Test
    void roundTripsEveryTypeAndNulls() {
        List<Row> rows = rows(100);
        byte[] payload = ArrowPayload.encode(TYPE.getFieldNames(), TYPE.getFieldTypes(), rows);
        assertThat(ArrowPayload.decode(payload, TYPE.getFieldNames(), TYPE.getFieldTypes()))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(rows);
    }

    /** A stream written by apache-arrow 21 for node (make-arrow-fixture.mjs), not Arrow Java. */
    @Test
    void decodesAStreamWrittenByApacheArrowJs() throws IOException {
        byte[] payload;
        try (InputStream in =
                getClass().getResourceAsStream("/gossipsub/apache-arrow-rows.arrows")) {
            payload = in.readAllBytes();
        }
        List<Row> got = ArrowPayload.decode(payload, TYPE.getFieldNames(), TYPE.getFieldTypes());
        assertThat(got)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        Row.of(1L, "bafy-a", 0.5, 7, true, new byte[] {1, 2, 3}),
                        Row.of(2L, null, 1.25, null, false, new byte[0]),
                        Row.of(null, "bafy-c", null, -3, null, null));
    }

    @Test
    void picksDeclaredFieldsByNameAndLeavesMissingOnesNull() {
        byte[] payload = ArrowPayload.encode(TYPE.getFieldNames(), TYPE.getFieldTypes(), rows(2));
        List<Row> got =
                ArrowPayload.decode(
                        payload,
                        new String[] {"root_cid", "absent"},
                        new TypeInformation<?>[] {
                            BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.LONG_TYPE_INFO
                        });
        assertThat(got).containsExactly(Row.of(null, null), Row.of("bafy-1", null));
    }

    @Test
    void rejectsWrongTypesAndGarbage() {
        byte[] payload = ArrowPayload.encode(TYPE.getFieldNames(), TYPE.getFieldTypes(), rows(1));
        assertThatThrownBy(
                        () ->
                                ArrowPayload.decode(
                                        payload,
                                        new String[] {"slot"},
                                        new TypeInformation<?>[] {BasicTypeInfo.STRING_TYPE_INFO}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'slot' should be Utf8 but is Int(64, true)");
        assertThatThrownBy(
                        () ->
                                ArrowPayload.decode(
                                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
                                        TYPE.getFieldNames(),
                                        TYPE.getFieldTypes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload is not an Arrow IPC stream: ");
        byte[] truncated = java.util.Arrays.copyOf(payload, payload.length / 2);
        assertThatThrownBy(
                        () ->
                                ArrowPayload.decode(
                                        truncated, TYPE.getFieldNames(), TYPE.getFieldTypes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload is not an Arrow IPC stream: ");
    }

    @Test
    void rejectsUnmappedFieldTypes() {
        assertThatThrownBy(
                        () ->
                                new RowCodec(
                                        PayloadFormat.ARROW,
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {
                                                    BasicTypeInfo.BIG_DEC_TYPE_INFO
                                                },
                                                new String[] {"x"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "gossipsub: field 'x' has type BigDecimal; Arrow payload fields may be"
                                + " STRING, LONG, INT, DOUBLE, BOOLEAN or bytes");
    }
}
