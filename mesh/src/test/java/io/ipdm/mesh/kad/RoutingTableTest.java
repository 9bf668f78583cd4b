package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    /**
     * {@code closest} walks the buckets instead of sorting the whole table: it must answer exactly
     * what a sort of every contact by distance answers, for targets near and far from us.
     */
    @Test
    void closestIsTheSortedTableWalkedByBucket() {
        SplittableRandom r = new SplittableRandom(3);
        PeerId self = peer(r);
        RoutingTable table = new RoutingTable(KadKey.of(self), 20);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            PeerId p = peer(r);
            if (table.offer(p, KadKey.of(p), List.of(), 0) == RoutingTable.Offer.ADDED) {
                peers.add(p);
            }
        }
        List<KadKey> targets = new ArrayList<>(List.of(KadKey.of(self)));
        for (int i = 0; i < 50; i++) {
            targets.add(KadKey.of(peer(r)));
            targets.add(KadKey.of(peers.get(r.nextInt(peers.size()))));
        }
        for (KadKey target : targets) {
            for (int n : new int[] {1, 3, 20, 21, 1000}) {
                List<PeerId> expected = new ArrayList<>(peers);
                expected.sort((a, b) -> target.compareDistance(KadKey.of(a), KadKey.of(b)));
                expected = expected.subList(0, Math.min(n, expected.size()));
                assertThat(table.closest(target, n).stream().map(c -> c.peer).toList())
                        .isEqualTo(expected);
            }
        }
    }

    private static PeerId peer(SplittableRandom r) {
        byte[] seed = new byte[32];
        r.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }
}
