package io.ipdm.connectors.solana.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ShortVecTest {
    private static int read(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return ShortVec.read(b, 0, b.length);
    }

    @Test
    void decodesSolanasShortVecVectors() {
        // value, encoding: the cases of solana-short-vec's own tests
        Object[][] cases = {
            {0x0, "00"},
            {0x7f, "7f"},
            {0x80, "8001"},
            {0xff, "ff01"},
            {0x100, "8002"},
            {0x7fff, "ffff01"},
            {0xffff, "ffff03"}
        };
        for (Object[] c : cases) {
            int r = read((String) c[1]);
            assertThat(ShortVec.value(r)).as((String) c[1]).isEqualTo(c[0]);
            assertThat(ShortVec.length(r)).isEqualTo(((String) c[1]).length() / 2);
        }
        byte[] offset = HexFormat.of().parseHex("aa8001bb");
        assertThat(ShortVec.value(ShortVec.read(offset, 1, 3))).isEqualTo(0x80);
    }

    @Test
    void rejectsMalformedEncodingsWithTheirOffset() {
        assertProblem("8000", ShortVec.Problem.NON_CANONICAL, 0);
        assertProblem("ffff04", ShortVec.Problem.TOO_LARGE, 0);
        assertProblem("808080", ShortVec.Problem.TOO_LONG, 0);
        assertProblem("80", ShortVec.Problem.TRUNCATED, 1);
        assertProblem("", ShortVec.Problem.TRUNCATED, 0);
    }

    private static void assertProblem(String hex, ShortVec.Problem problem, int offset) {
        assertThatThrownBy(() -> read(hex))
                .isInstanceOfSatisfying(
                        ShortVec.MalformedException.class,
                        e -> {
                            assertThat(e.problem()).isEqualTo(problem);
                            assertThat(e.offset()).isEqualTo(offset);
                        });
    }
}
