package io.ipdm.connectors.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    static final RowTypeInfo PAYLOAD =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        BasicTypeInfo.LONG_TYPE_INFO,
                        BasicTypeInfo.STRING_TYPE_INFO,
                        BasicTypeInfo.DOUBLE_TYPE_INFO
                    },
                    new String[] {"slot", "root_cid", "fee"});

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mapsJsonMembersByNameAndAppendsMetadata() {
        RowCodec c = new RowCodec(PayloadFormat.JSON, PAYLOAD);
        assertThat(c.sourceType().getFieldNames())
                .containsExactly(
                        "slot", "root_cid", "fee", "topic", "message_id", "author", "seqno");
        Row r =
                c.toRow(
                        "t",
                        "id1",
                        "12D3",
                        7,
                        utf8("{\"slot\":5,\"root_cid\":\"bafy\",\"extra\":1}"));
        assertThat(r).isEqualTo(Row.of(5L, "bafy", null, "t", "id1", "12D3", 7L));
    }

    @Test
    void rejectsPayloadsThatDoNotFit() {
        RowCodec c = new RowCodec(PayloadFormat.JSON, PAYLOAD);
        assertThatThrownBy(() -> c.toRow("t", "i", "a", 1, utf8("[1,2]")))
                .hasMessage("payload is not a JSON object");
        assertThatThrownBy(() -> c.toRow("t", "i", "a", 1, utf8("{\"slot\":\"five\"}")))
                .hasMessage("field 'slot' should be Long but is \"five\"");
        assertThatThrownBy(() -> c.toRow("t", "i", "a", 1, utf8("{oops")))
                .hasMessageStartingWith("payload is not JSON: ");
    }

    @Test
    void rejectsUnsupportedOrClashingFields() {
        RowTypeInfo clash =
                new RowTypeInfo(
                        new TypeInformation<?>[] {BasicTypeInfo.STRING_TYPE_INFO},
                        new String[] {"topic"});
        assertThatThrownBy(() -> new RowCodec(PayloadFormat.JSON, clash))
                .hasMessage(
                        "gossipsub: payload field 'topic' clashes with metadata field of that name");
        RowTypeInfo bad =
                new RowTypeInfo(
                        new TypeInformation<?>[] {BasicTypeInfo.BIG_DEC_TYPE_INFO},
                        new String[] {"x"});
        assertThatThrownBy(() -> new RowCodec(PayloadFormat.JSON, bad))
                .hasMessage(
                        "gossipsub: field 'x' has type BigDecimal; JSON payload fields may be STRING, LONG, INT,"
                                + " DOUBLE or BOOLEAN");
    }

    @Test
    void rawKeepsBytesAndSinkJsonRoundTrips() {
        RowCodec raw = new RowCodec(PayloadFormat.RAW, null);
        assertThat(raw.sourceType().getFieldNames())
                .containsExactly("topic", "message_id", "author", "seqno", "data");
        byte[] json = RowCodec.toJson(Row.of(5L, "bafy", 1.5), PAYLOAD.getFieldNames());
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"slot\":5,\"root_cid\":\"bafy\",\"fee\":1.5}");
        assertThat(
                        new RowCodec(PayloadFormat.JSON, PAYLOAD)
                                .toRow("t", "i", "a", 1, json)
                                .getField(2))
                .isEqualTo(1.5);
    }
}
