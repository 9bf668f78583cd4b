package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.multiformats.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyRowOfTheMultihashSuite() throws IOException {
        Path csv = SharedData.require("ipld/multiformats/multihash/test_cases.csv");
        List<String> rows = Files.readAllLines(csv);
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            // the suite names sha3-512 plain "sha3"
            Multicodec codec = Multicodec.forName(f[0].equals("sha3") ? "sha3-512" : f[0]);
            // the input column is hashed as its ASCII text, not as hex
            byte[] input = f[2].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] mh = Hashing.multihashBytes(codec, input, Integer.parseInt(f[1]));
            assertThat(HEX.formatHex(mh)).as(row).isEqualTo(f[3]);
            if (codec != Multicodec.SHA2_256 || mh.length == 34) {
                // Multihash refuses truncated sha2-256 digests
                assertThat(Hashing.matches(Multihash.decode(mh), input)).isTrue();
                assertThat(Hashing.matches(Multihash.decode(mh), new byte[1])).isFalse();
            }
            checked++;
        }
        assertThat(checked).isEqualTo(260);
    }

    @Test
    void codesAgreeWithTheMulticodecTable() throws IOException {
        Path csv = SharedData.require("ipld/multiformats/multicodec/table.csv");
        Map<String, Integer> table = new HashMap<>();
        for (String row : Files.readAllLines(csv)) {
            String[] f = row.split(",");
            if (f.length > 2 && f[2].trim().startsWith("0x")) {
                table.put(f[0].trim(), Integer.decode(f[2].trim()));
            }
        }
        for (Multicodec c : Multicodec.values()) {
            assertThat(table.get(c.codecName())).as(c.codecName()).isEqualTo(c.code());
        }
    }

    @Test
    void truncatedTrunc254AndBlake2b() {
        // sha2-256-trunc254-padded clears the top two bits of the last byte
        byte[] t = Hashing.digest(Multicodec.SHA2_256_TRUNC254_PADDED, new byte[64]);
        assertThat(t[31] & 0xC0).isZero();
        // RFC 7693 appendix A gives BLAKE2b-512("abc"); the 256-bit variant differs by parameter
        // block
        assertThat(HEX.formatHex(Blake2b.digest("abc".getBytes(), 64)))
                .isEqualTo(
                        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    }

    @Test
    void rejectsTruncatedAndOversizedDigests() {
        assertThatThrownBy(() -> Cid.fromBytes(HEX.parseHex("01551220abcd")))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("multihash truncated: digest needs 32 bytes, 2 available");
        assertThatThrownBy(() -> Cid.fromBytes(HEX.parseHex("0155")))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("varint truncated after 0 bytes");
        assertThatThrownBy(() -> Hashing.multihashBytes(Multicodec.SHA2_256, new byte[1], 512))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("sha2-256 digests are 256 bits, not 512");
    }
}
