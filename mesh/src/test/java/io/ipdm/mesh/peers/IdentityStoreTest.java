package io.ipdm.mesh.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PeerId a = Ed25519KeyPair.generate().peerId();
    private final PeerId b = Ed25519KeyPair.generate().peerId();
    private final PeerId c = Ed25519KeyPair.generate().peerId();
    private final TrustList trust =
            TrustList.of(List.of(new TrustList.Entry(c, "c", Set.of("attest"), "k:1:1")));
    private final IdentityStore s = IdentityStore.inMemory(trust, now::get);

    private static Multiaddr ma(int port) {
        return Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port);
    }

    @Test
    void uptimeCountsConnectedTimeSinceFirstSeen() {
        s.connected(a, ma(1), true);
        now.addAndGet(10_000);
        s.disconnected(a);
        now.addAndGet(30_000);
        assertThat(s.get(a).orElseThrow().uptime(now.get())).isEqualTo(0.25);
        s.connected(a, ma(1), false);
        now.addAndGet(40_000);
        assertThat(s.get(a).orElseThrow().uptime(now.get())).isEqualTo(50_000 / 80_000.0);
    }

    @Test
    void addressesAreOrderedByWhatWorked() {
        s.addresses(a, List.of(ma(1), ma(2), ma(3)));
        s.dialed(a, ma(3), true);
        assertThat(s.get(a).orElseThrow().addresses()).containsExactly(ma(3), ma(1), ma(2));
        s.dialed(a, ma(3), false);
        assertThat(s.get(a).orElseThrow().addresses()).containsExactly(ma(1), ma(2), ma(3));
        s.connected(a, ma(2), true);
        assertThat(s.get(a).orElseThrow().addresses()).containsExactly(ma(2), ma(1), ma(3));
    }

    @Test
    void reputationFollowsOutcomesAndRankingWeighsTrustReputationAndRtt() {
        s.rtt(a, Duration.ofMillis(10));
        s.rtt(a, Duration.ofMillis(50)); // EWMA: 0.75*10 + 0.25*50
        assertThat(s.get(a).orElseThrow().rttMillis()).isEqualTo(20.0);
        s.rtt(b, Duration.ofMillis(20));
        s.rtt(c, Duration.ofMillis(20));
        // c is trusted: ahead of equally fast, equally reputed strangers
        assertThat(s.rank(List.of(a, b, c)).getFirst()).isEqualTo(c);
        for (int i = 0; i < 5; i++) {
            s.outcome(c, "challenge", false, "lost block " + i);
        }
        s.outcome(a, "attestation", true, "agreed with the majority");
        assertThat(s.reputation(c)).isEqualTo(1 / 7.0);
        assertThat(s.reputation(a)).isEqualTo(2 / 3.0);
        assertThat(s.rank(List.of(a, b, c))).containsExactly(a, b, c);
        assertThat(s.get(c).orElseThrow().recentOutcomes())
                .hasSize(5)
                .last()
                .isEqualTo("challenge bad: lost block 4");
    }

    @Test
    void peerExchangeSamplesKnownAddressesOnly() {
        s.addresses(a, List.of(ma(1)));
        s.addresses(b, List.of(ma(2)));
        s.connected(c, null, false); // no address known
        List<PeerInfo> got = s.sample(5, new Random(1), Set.of(b));
        assertThat(got).extracting(PeerInfo::peer).containsExactly(a);
    }

    @Test
    void savedAndReopenedKeepsWhatWasMeasured(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("peers.db");
        IdentityStore one = IdentityStore.open(f, trust, now::get);
        one.connected(a, ma(7), true);
        one.rtt(a, Duration.ofMillis(12));
        one.outcome(a, "challenge", true, "stored");
        now.addAndGet(5_000);
        one.save();
        IdentityStore two = IdentityStore.open(f, trust, now::get);
        PeerInfo p = two.get(a).orElseThrow();
        assertThat(p.addresses()).containsExactly(ma(7));
        assertThat(p.rttMillis()).isEqualTo(12.0);
        assertThat(p.connectedMillis()).isEqualTo(5_000);
        assertThat(p.good()).isEqualTo(1);
        // a damaged tail keeps what was read before it
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(IdentityStore.open(f, trust, now::get).size()).isZero();
        one.connected(b, ma(8), true);
        one.save();
        bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length + 1));
        assertThat(IdentityStore.open(f, trust, now::get).size()).isEqualTo(2);
    }
}
