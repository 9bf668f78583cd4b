package io.ipdm.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CsvBufferTest {
    private static String csv(Object... values) {
        CsvBuffer b = new CsvBuffer();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.put((byte) ',');
            }
            b.value(values[i]);
        }
        return b.toString();
    }

    @Test
    void encodesEachTypeAsPostgresCsv() {
        assertThat(csv(0L, -7L, 1234567890123L, Long.MIN_VALUE, Long.MAX_VALUE))
                .isEqualTo("0,-7,1234567890123,-9223372036854775808,9223372036854775807");
        assertThat(csv(42, (short) -3, (byte) 9, null, true, false)).isEqualTo("42,-3,9,,t,f");
        assertThat(csv("plain", "say \"hi\", ok", "", "naïve \"x\""))
                .isEqualTo("\"plain\",\"say \"\"hi\"\", ok\",\"\",\"naïve \"\"x\"\"\"");
        assertThat(csv(new byte[] {0, (byte) 0xab, 0x7f}, new BigDecimal("1E+3"), 1.5, 2.5f))
                .isEqualTo("\\x00ab7f,1000,1.5,2.5");
        assertThat(csv(Double.NaN, Double.NEGATIVE_INFINITY)).isEqualTo("NaN,-Infinity");
    }

    @Test
    void growsPastItsInitialSize() {
        CsvBuffer b = new CsvBuffer();
        String s = "x".repeat(CsvBuffer.FLUSH_AT);
        b.value(s);
        b.value(s);
        assertThat(b.size()).isEqualTo(2 * (CsvBuffer.FLUSH_AT + 2));
    }
}
