package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesSpecExamples() {
        // Examples from the multiformats unsigned-varint spec.
        assertThat(HEX.formatHex(Varint.encode(1))).isEqualTo("01");
        assertThat(HEX.formatHex(Varint.encode(127))).isEqualTo("7f");
        assertThat(HEX.formatHex(Varint.encode(128))).isEqualTo("8001");
        assertThat(HEX.formatHex(Varint.encode(255))).isEqualTo("ff01");
        assertThat(HEX.formatHex(Varint.encode(300))).isEqualTo("ac02");
        assertThat(HEX.formatHex(Varint.encode(16384))).isEqualTo("808001");
    }

    @Test
    void roundTripsAcrossRanges() {
        long[] values = {0, 1, 127, 128, 16383, 16384, 1L << 31, (1L << 62) + 5, Long.MAX_VALUE};
        for (long v : values) {
            byte[] enc = Varint.encode(v);
            assertThat(enc).hasSize(Varint.encodedLength(v));
            assertThat(Varint.read(enc, 0)).isEqualTo(new Varint.Decoded(v, enc.length));
            assertThat(Varint.read(ByteBuffer.wrap(enc))).isEqualTo(v);
        }
    }

    @Test
    void rejectsNonMinimalTruncatedAndOverlong() {
        assertThatThrownBy(() -> Varint.read(HEX.parseHex("8100"), 0))
                .hasMessage("varint not minimally encoded");
        assertThatThrownBy(() -> Varint.read(HEX.parseHex("8080"), 0))
                .hasMessage("varint truncated after 2 bytes");
        assertThatThrownBy(() -> Varint.read(HEX.parseHex("ffffffffffffffffff01"), 0))
                .hasMessage("varint longer than 9 bytes");
        assertThatThrownBy(() -> Varint.encode(-1))
                .hasMessage("varint value must be in [0, 2^63), got -1");
    }
}
