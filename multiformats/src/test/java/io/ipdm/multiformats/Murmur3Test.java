package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The first 64 bits of MurmurHash3 x64 128 (seed 0) against the reference implementation's outputs,
 * taken once with node from js {@code @multiformats/murmur3}'s {@code murmur3128} (its first 8
 * bytes, big-endian) (also asserted byte-reversed through the HAMT hash in lava-lakes' {@code
 * HamtHashTest}). Lengths cover an empty input, tails of 1 to 15 bytes and whole 16-byte blocks.
 */
class Murmur3Test {
    private static long h(String s) {
        return Murmur3.x64_64(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void matchesReferenceHashes() {
        assertThat(h("")).isZero();
        assertThat(h("hello")).isEqualTo(0xcbd8a7b341bd9b02L);
        assertThat(h("a")).isEqualTo(0x85555565f6597889L);
        assertThat(h("file-42.txt")).isEqualTo(0xc68e27581e8667bbL);
        assertThat(h("0123456789abcdef")).isEqualTo(0x4be06d94cf4ad1a7L);
        assertThat(h("The quick brown fox jumps over the lazy dog")).isEqualTo(0xe34bbc7bbc071b6cL);
    }

    @Test
    void finalizerSpreadsEveryBit() {
        assertThat(Murmur3.fmix64(0)).isZero();
        for (int bit = 0; bit < 64; bit++) {
            long flipped = Murmur3.fmix64(1L << bit) ^ Murmur3.fmix64(0);
            // one input bit changes about half the output bits, never only a few
            assertThat(Long.bitCount(flipped)).isBetween(16, 48);
        }
    }
}
