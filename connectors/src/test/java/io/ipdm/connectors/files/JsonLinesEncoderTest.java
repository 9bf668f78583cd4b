package io.ipdm.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

class JsonLinesEncoderTest {
    private static final JsonLinesEncoder ENCODER =
            new JsonLinesEncoder(List.of("program_id", "window_start", "top"));

    @Test
    void stringsAreEscapedAndParseBack() throws IOException {
        String top = "q\\\"uote\\:1,back\\\\slash:1,tab\\tnl\\n:1";
        String raw = "\"quoted\" back\\slash \n\r\t \u0001 \u001f é";
        Row row = Row.of(raw, 60_000L, top);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ENCODER.encode(row, out);
        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line)
                .isEqualTo(
                        "{\"program_id\":\"\\\"quoted\\\" back\\\\slash \\n\\r\\t \\u0001 \\u001F é\","
                                + "\"window_start\":60000,"
                                + "\"top\":\"q\\\\\\\"uote\\\\:1,back\\\\\\\\slash:1,tab\\\\tnl\\\\n:1\"}\n");
        JsonNode back = new ObjectMapper().readTree(line);
        assertThat(back.get("program_id").asText()).isEqualTo(raw);
        assertThat(back.get("top").asText()).isEqualTo(top);
    }

    @Test
    void updatedRowsCarryTheirKind() {
        assertThat(ENCODER.toJson(Row.ofKind(RowKind.UPDATE_AFTER, "p", 0L, "p:2")))
                .isEqualTo(
                        "{\"program_id\":\"p\",\"window_start\":0,\"top\":\"p:2\",\"_op\":\"+U\"}");
        assertThat(ENCODER.toJson(Row.of("p", 0L, "p:1")))
                .isEqualTo("{\"program_id\":\"p\",\"window_start\":0,\"top\":\"p:1\"}");
    }
}
