package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.multiformats.testutils.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultihashVectorsTest {
    @Test
    void sha256RowsOfTheMultihashTestCasesMatch() throws IOException {
        List<String> lines =
                Files.readAllLines(
                        SharedData.require("ipld/multiformats/multihash/test_cases.csv"));
        int checked = 0;
        for (String line : lines) {
            String[] f = line.split(",");
            if (f.length == 4 && f[0].trim().equals("sha2-256") && f[1].trim().equals("256")) {
                // The upstream runner hashes the input column's text as is, not its hex decoding.
                byte[] input = f[2].trim().getBytes(StandardCharsets.US_ASCII);
                assertThat(HexFormat.of().formatHex(Multihash.sha2_256(input).toBytes()))
                        .isEqualTo(f[3].trim());
                assertThat(Multihash.decode(HexFormat.of().parseHex(f[3].trim())).code())
                        .isEqualTo(Multihash.SHA2_256);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(0);
    }
}
