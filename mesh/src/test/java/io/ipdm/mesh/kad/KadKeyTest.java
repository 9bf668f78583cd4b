package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KadKeyTest {
    private static KadKey key(int... leading) {
        byte[] h = new byte[32];
        for (int i = 0; i < leading.length; i++) {
            h[i] = (byte) leading[i];
        }
        return KadKey.ofHash(h);
    }

    @Test
    void naturalOrderIsUnsignedBigEndianSoPrefixesAreContiguous() {
        assertThat(key(0x7f).compareTo(key(0x80))).isNegative();
        assertThat(key(0xff).compareTo(key(0x01, 0xff))).isPositive();
        assertThat(key(0x10).compareTo(key(0x10))).isZero();
        SplittableRandom r = new SplittableRandom(3);
        List<KadKey> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(KadKey.of(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), 1}));
        }
        keys.sort(null);
        KadKey target = keys.get(100);
        for (int l = 0; l < 8; l++) {
            // the keys sharing >= l bits with the target form one run in sorted order
            int first = -1;
            int last = -1;
            for (int i = 0; i < keys.size(); i++) {
                if (target.commonPrefixLength(keys.get(i)) >= l) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            for (int i = first; i <= last; i++) {
                assertThat(target.commonPrefixLength(keys.get(i))).isGreaterThanOrEqualTo(l);
            }
        }
    }

    @Test
    void prefixIsTheLeadingBits() {
        KadKey k = key(0b1011_0000, 0xff, 0, 0x80);
        assertThat(k.prefix(0)).isZero();
        assertThat(k.prefix(1)).isEqualTo(1);
        assertThat(k.prefix(4)).isEqualTo(0b1011);
        assertThat(k.prefix(12)).isEqualTo(0b1011_0000_1111);
        assertThat(k.prefix(25)).isEqualTo((0b1011_0000 << 17) | (0xff << 9) | 1);
        assertThat(key(0xff, 0xff, 0xff, 0xff).prefix(31)).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> k.prefix(32)).hasMessage("prefix of 0..31 bits, got 32");
    }
}
