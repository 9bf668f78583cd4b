package io.ipdm.lakes.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.ReplicationPolicy;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Cid;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two lake nodes on loopback: real TCP, Noise XX, Yamux, Bitswap. */
class ReplicationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final List<AutoCloseable> open = new ArrayList<>();

    private record Node(Host host, TieredStore store, BitswapNetwork bitswap) {}

    private Node node(Path dir) throws Exception {
        Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        TieredStore store = TieredStore.open(dir, 8 << 20, 1 << 20);
        BitswapNetwork x =
                BitswapNetwork.start(
                        host, BlockStore.of(store), BitswapConfig.defaults(), Clock.systemUTC());
        open.add(store);
        open.add(host);
        open.add(x);
        return new Node(host, store, x);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static Connection connect(Node from, Node to) throws Exception {
        Multiaddr a = to.host().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return from.host().dial(a).get(10, TimeUnit.SECONDS);
    }

    private static Replicator replicator(Node n, int factor) {
        AccessTracker access = new AccessTracker(Clock.systemUTC(), Duration.ofHours(1));
        return new Replicator(
                n.store(), n.bitswap(), ReplicationPolicy.of(factor, access), TIMEOUT);
    }

    private static List<Block> file() {
        Random rnd = new Random(11);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] c = new byte[i < 2 ? 256 << 10 : 1000];
            rnd.nextBytes(c);
            chunks.add(c);
        }
        return UnixFsFile.build(chunks);
    }

    private static void lose(Node n, Cid cid) {
        n.store().warm().delete(List.of(cid));
        n.store().hot().invalidate(cid);
        assertThat(n.store().has(cid)).isFalse();
    }

    @Test
    void aDagOnAIsReplicatedToBWithFactorTwoAndRepairedWhenLost(@TempDir Path dir)
            throws Exception {
        Node a = node(dir.resolve("a"));
        Node b = node(dir.resolve("b"));
        connect(a, b);
        List<Block> blocks = file();
        Cid root = blocks.get(blocks.size() - 1).cid();
        a.store().putAll(blocks);

        Replicator rb = replicator(b, 2);
        assertThat(rb.isResponsible(root)).isTrue();
        Replicator.Report r = rb.replicate(root);
        assertThat(r.holders()).containsExactly(a.host().peerId());
        assertThat(r.fetched()).isEqualTo(4); // three leaves and the root
        for (Block blk : blocks) {
            // TieredStore.get verifies the bytes against the CID
            assertThat(b.store().get(blk.cid()).data()).isEqualTo(blk.data());
        }
        assertThat(b.store().pins()).containsExactly(root);

        Replicator ra = replicator(a, 2);
        assertThat(ra.replicate(root).fetched()).isZero();
        assertThat(a.store().pins()).containsExactly(root);

        Cid leaf = blocks.get(1).cid();
        lose(b, leaf);
        Replicator.Report repaired = rb.repair();
        assertThat(repaired.fetched()).isEqualTo(1);
        assertThat(b.store().get(leaf).data()).isEqualTo(blocks.get(1).data());

        Cid other = blocks.get(0).cid();
        lose(a, other);
        Replicator.Report fetched = ra.repair();
        assertThat(fetched.fetched()).isEqualTo(1);
        assertThat(a.store().get(other).data()).isEqualTo(blocks.get(0).data());

        assertThat(replicator(a, 1).responsiblePeers(root)).isEmpty();
        assertThat(replicator(a, 1).isResponsible(root))
                .isNotEqualTo(replicator(b, 1).isResponsible(root));
    }

    @Test
    void aRootNoPeerHoldsFailsNamingThePeersAsked(@TempDir Path dir) throws Exception {
        Node a = node(dir.resolve("a"));
        Node b = node(dir.resolve("b"));
        connect(a, b);
        Cid root = file().get(3).cid();
        Replicator rb =
                new Replicator(
                        b.store(),
                        b.bitswap(),
                        ReplicationPolicy.of(
                                3, new AccessTracker(Clock.systemUTC(), Duration.ofHours(1))),
                        Duration.ofMillis(500));
        assertThatThrownBy(() -> rb.replicate(root))
                .isInstanceOf(LakesException.class)
                .hasMessage(
                        "cannot replicate "
                                + root
                                + ": no peer sent "
                                + root
                                + " within PT0.5S; asked 1 peer: ["
                                + a.host().peerId()
                                + "]");
        assertThat(b.store().pins()).isEmpty();
    }
}
