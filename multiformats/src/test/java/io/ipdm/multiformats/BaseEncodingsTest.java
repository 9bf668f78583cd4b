package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaseEncodingsTest {
    private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesMultibaseSpecExamples() {
        // From multiformats/multibase tests/basic.csv and leading_zero.csv.
        assertThat(Multibase.BASE58_BTC.encode(YES_MANI)).isEqualTo("z7paNL19xttacUY");
        assertThat(Multibase.BASE32.encode(YES_MANI)).isEqualTo("bpfsxgidnmfxgsibb");
        assertThat(Multibase.BASE16.encode(YES_MANI)).isEqualTo("f796573206d616e692021");
        byte[] leadingZero = new byte[YES_MANI.length + 1];
        System.arraycopy(YES_MANI, 0, leadingZero, 1, YES_MANI.length);
        assertThat(Multibase.BASE58_BTC.encode(leadingZero)).isEqualTo("z17paNL19xttacUY");
        assertThat(Multibase.decode("z17paNL19xttacUY")).isEqualTo(leadingZero);
        assertThat(Multibase.decode("BPFSXGIDNMFXGSIBB")).isEqualTo(YES_MANI);
    }

    @Test
    void roundTripsRandomBytes() {
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            if (b.length > 0 && i % 3 == 0) {
                b[0] = 0;
            }
            assertThat(Base58.decode(Base58.encode(b))).isEqualTo(b);
            assertThat(Base32.decode(Base32.encode(b))).isEqualTo(b);
        }
    }

    @Test
    void rejectsBadCharacters() {
        assertThatThrownBy(() -> Base58.decode("12O"))
                .hasMessage("invalid base58btc character 'O' at position 2");
        assertThatThrownBy(() -> Base32.decode("ab1"))
                .hasMessage("invalid base32 character '1' at position 2");
        // 'm' (base64) is a multibase the one Multibase type now reads; '!' is none
        assertThat(Multibase.decode("mAAA")).containsExactly(0, 0);
        assertThatThrownBy(() -> Multibase.decode("!AAA"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("unknown multibase prefix '!'");
    }

    @Test
    void multihashEncodesAndRejectsTruncation() {
        Multihash mh = Multihash.sha2_256("foo".getBytes(StandardCharsets.UTF_8));
        // From multiformats/multihash tests/values/test_cases.csv style: sha2-256 of "foo".
        assertThat(HexFormat.of().formatHex(mh.toBytes()))
                .isEqualTo("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
        assertThat(Multihash.decode(mh.toBytes())).isEqualTo(mh);
        byte[] truncated = java.util.Arrays.copyOf(mh.toBytes(), 20);
        assertThatThrownBy(() -> Multihash.decode(truncated))
                .hasMessage("multihash truncated: digest needs 32 bytes, 18 available");
        assertThat(Multihash.identity(new byte[] {1, 2}).toBytes()).containsExactly(0, 2, 1, 2);
    }
}
