package io.ipdm.mesh.riblt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RibltTest {
    private static final long SALT = 0x1234_5678_9abcL;

    static byte[] item(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Streams {@code remote}'s symbols into a decoder of {@code local} in runs of 50. */
    static RibltDecoder reconcile(List<byte[]> remote, List<byte[]> local, long maxSymbols) {
        RibltEncoder enc = new RibltEncoder(SALT);
        remote.forEach(enc::add);
        RibltDecoder dec = new RibltDecoder(local, SALT, maxSymbols, 1_000_000);
        while (true) {
            CodedSymbols run = new CodedSymbols(enc.produced(), 50);
            enc.produce(50, run);
            if (dec.add(run)) {
                return dec;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1000})
    void decodesTheDifferenceOfTwoSetsOf100k(int d) {
        Random r = new Random(d);
        List<byte[]> common = new ArrayList<>();
        for (int i = 0; i < 100_000 - d; i++) {
            common.add(item(r));
        }
        List<byte[]> remoteExtra = new ArrayList<>();
        List<byte[]> localExtra = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            (i % 2 == 0 ? remoteExtra : localExtra).add(item(r));
        }
        List<byte[]> remote = new ArrayList<>(common);
        remote.addAll(remoteExtra);
        List<byte[]> local = new ArrayList<>(common);
        local.addAll(localExtra);
        // A local-only prefix of equal size keeps both sets at 100k.
        RibltDecoder dec = reconcile(remote, local, 100_000);
        assertThat(dec.isDecoded()).isTrue();
        assertThat(hexes(dec.remoteOnly())).isEqualTo(hexes(remoteExtra));
        assertThat(hexes(dec.localOnly())).isEqualTo(hexes(localExtra));
        if (d == 0) {
            assertThat(dec.symbolsUsed()).isEqualTo(1);
        }
        if (d == 1000) {
            // The paper's overhead is about 1.35-1.7 symbols per difference at this size.
            assertThat(dec.symbolsUsed()).isBetween(1000L, 1800L);
        }
    }

    @Test
    void garbageSymbolsNeverDecodeAndHitTheLimit() {
        Random r = new Random(7);
        List<byte[]> local = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            local.add(item(r));
        }
        RibltDecoder dec = new RibltDecoder(local, SALT, 5000, 10_000);
        assertThatThrownBy(
                        () -> {
                            for (long first = 0; ; first += 100) {
                                CodedSymbols run = new CodedSymbols(first, 100);
                                for (int k = 0; k < 100; k++) {
                                    run.add(
                                            r.nextLong(),
                                            r.nextLong(),
                                            r.nextLong(),
                                            r.nextLong(),
                                            r.nextLong(),
                                            r.nextInt(7) - 3);
                                }
                                dec.add(run);
                            }
                        })
                .isInstanceOf(RibltException.class)
                .hasMessageContaining(
                        "did not decode within 5000 coded symbols (limit maxSymbols)");
        assertThat(dec.received()).isEqualTo(5000);
        assertThat(dec.isDecoded()).isFalse();
    }

    @Test
    void outOfOrderRunsAreRefused() {
        RibltDecoder dec = new RibltDecoder(List.of(), SALT, 100, 100);
        CodedSymbols run = new CodedSymbols(5, 1);
        run.add(0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> dec.add(run))
                .hasMessage(
                        "coded symbols out of order: expected index 0, got a run starting at 5");
    }

    @Test
    void itemsOfTheWrongSizeAreRefused() {
        RibltEncoder enc = new RibltEncoder(SALT);
        assertThatThrownBy(() -> enc.add(new byte[33])).hasMessage("an item is 32 bytes, got 33");
    }

    @Test
    void emptySetsDecodeAtOnce() {
        RibltDecoder dec = reconcile(List.of(), List.of(), 10);
        assertThat(dec.symbolsUsed()).isEqualTo(1);
        assertThat(dec.remoteOnly()).isEmpty();
    }

    private static Set<String> hexes(List<byte[]> items) {
        return items.stream().map(RibltTest::hex).collect(Collectors.toCollection(HashSet::new));
    }
}
