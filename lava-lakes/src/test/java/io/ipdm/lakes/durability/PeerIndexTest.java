package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class PeerIndexTest {
    static PeerId peer(SplittableRandom r) {
        byte[] seed = new byte[32];
        r.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    @Test
    void closestMatchesABruteForceSortByXorDistance() {
        SplittableRandom r = new SplittableRandom(42);
        PeerIndex idx = new PeerIndex(new KeySpace());
        List<PeerId> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            PeerId p = peer(r);
            all.add(p);
            assertThat(idx.add(p)).isTrue();
        }
        assertThat(idx.add(all.get(0))).isFalse();
        for (int i = 0; i < 60; i += 2) {
            assertThat(idx.remove(all.get(i))).isTrue();
        }
        List<PeerId> present = new ArrayList<>(all.subList(60, all.size()));
        for (int i = 1; i < 60; i += 2) {
            present.add(all.get(i));
        }
        Predicate<PeerId> odd = p -> (p.hashCode() & 1) == 1;
        for (int t = 0; t < 50; t++) {
            byte[] target = new byte[40];
            r.nextBytes(target);
            KadKey key = KadKey.of(target);
            for (int n : new int[] {1, 3, 20}) {
                List<PeerId> expected =
                        present.stream()
                                .sorted((a, b) -> key.compareDistance(KadKey.of(a), KadKey.of(b)))
                                .limit(n)
                                .toList();
                assertThat(idx.closest(key, n, p -> true)).isEqualTo(expected);
                List<PeerId> expectedOdd =
                        present.stream()
                                .filter(odd)
                                .sorted((a, b) -> key.compareDistance(KadKey.of(a), KadKey.of(b)))
                                .limit(n)
                                .toList();
                assertThat(idx.closest(key, n, odd)).isEqualTo(expectedOdd);
            }
        }
        assertThat(idx.size()).isEqualTo(present.size());
        assertThat(idx.closest(KadKey.of(new byte[] {1}), 1000, p -> true)).hasSize(present.size());
    }
}
