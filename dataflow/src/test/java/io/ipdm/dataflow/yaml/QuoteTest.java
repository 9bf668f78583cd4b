package io.ipdm.dataflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteTest {
    @Test
    void shortValuesAreQuotedAsTheyAre() {
        assertThat(Quote.of("txs")).isEqualTo("'txs'");
        assertThat(Quote.of("x".repeat(80))).isEqualTo("'" + "x".repeat(80) + "'");
    }

    @Test
    void longValuesAreCutWithTheirLength() {
        assertThat(Quote.of("y".repeat(81))).isEqualTo("'" + "y".repeat(80) + "... (81 chars)'");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertThat(Quote.cut("a\nb\tc\u0000d\u001be")).isEqualTo("a\\nb\\tc\\u0000d\\u001be");
    }
}
