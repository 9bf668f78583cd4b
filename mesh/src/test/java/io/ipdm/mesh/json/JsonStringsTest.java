package io.ipdm.mesh.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonStrings.quote("a \"b\" \\ c\n\t\u0001é✓"))
                .isEqualTo("\"a \\\"b\\\" \\\\ c\\u000a\\u0009\\u0001é✓\"");
        assertThat(JsonStrings.quote("")).isEqualTo("\"\"");
        assertThat(JsonStrings.quote((String) null)).isEqualTo("null");
        assertThat(JsonStrings.quote(new StringBuilder("{\"k\":"), "v").append('}').toString())
                .isEqualTo("{\"k\":\"v\"}");
    }
}
