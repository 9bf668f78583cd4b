package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.durability.DurabilityCodec;
import io.ipdm.lakes.durability.DurabilityEvent;
import io.ipdm.lakes.durability.DurabilityMessage;
import io.ipdm.lakes.durability.RootStatus;
import io.ipdm.lakes.durability.Subscription;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage nodes in one JVM, each a full {@link LakeNode} on loopback TCP with its {@link
 * DurabilityService}: a subscription sent to one reaches the others, the responsible nodes fetch
 * the DAG, a node that stops is replaced, and hostile input (forged, unauthorized, replayed and
 * conflicting subscriptions, malformed frames, challenge floods) is refused and reported while the
 * node keeps serving.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DurabilityServiceTest {
    /** The user trusted to subscribe (signs subscriptions) in this test and DhtRepairTest. */
    static final Ed25519KeyPair USER = Ed25519KeyPair.fromSeed(new byte[32]);

    private final List<LakeNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (LakeNode n : nodes) {
            n.close();
        }
        for (AutoCloseable c : others) {
            c.close();
        }
    }

    private static TrustList trust() {
        return TrustList.of(
                List.of(
                        new TrustList.Entry(
                                USER.peerId(), "user", Set.of(TrustList.SUBSCRIBE), "test")));
    }

    private LakeNode start(Path lake, List<Multiaddr> bootstrap) throws Exception {
        return start(lake, bootstrap, "");
    }

    /**
     * A storage node's config with durability on at test speed (1 s maintenance, 2 s challenges) in
     * {@code domain} ("" for none), {@link #USER} trusted to subscribe.
     */
    static NodeConfig.Builder storageConfig(Path lake, List<Multiaddr> bootstrap, String domain) {
        return NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), lake)
                .bootstrap(bootstrap)
                .readTimeout(Duration.ofSeconds(20))
                .trust(trust())
                .domains(domain.isEmpty() ? List.of() : List.of(domain))
                .durability(
                        new NodeDurability(
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(1),
                                domain));
    }

    private LakeNode start(Path lake, List<Multiaddr> bootstrap, String domain) throws Exception {
        NodeConfig cfg = storageConfig(lake, bootstrap, domain).build();
        LakeNode n = LakeNode.start(cfg, IpfsNetwork::install);
        nodes.add(n);
        return n;
    }

    private static Cid putFile(Path lake, long seed) throws Exception {
        byte[] content = new byte[2 * LakeCommands.CHUNK + 4321];
        new Random(seed).nextBytes(content);
        Path file = Files.createTempFile("dur", ".bin");
        Files.write(file, content);
        try (LakeCommands l = LakeCommands.open(lake, StorageConfig.defaults())) {
            return l.put(file);
        } finally {
            Files.delete(file);
        }
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static List<LakeNode> holders(List<LakeNode> of, Cid root) {
        return of.stream().filter(n -> n.durability().status(root).holdsLocally()).toList();
    }

    /** Every block of the DAG is in the node's lake and hashes to its CID. */
    private static int verifyDag(LakeNode n, Cid root) {
        int[] count = {0};
        Links.walk(
                n.store(),
                root,
                b -> {
                    assertThat(b.cid().verifies(b.data())).as("%s re-hashes", b.cid()).isTrue();
                    count[0]++;
                });
        return count[0];
    }

    @Test
    void aSubscribedRootReachesTheFactorAndIsRepairedWhenAHolderStops(@TempDir Path dir)
            throws Exception {
        Cid root = putFile(dir.resolve("n0"), 1);
        LakeNode first = start(dir.resolve("n0"), List.of());
        List<Multiaddr> boot = List.of(first.mesh().addresses().get(0));
        for (int i = 1; i < 5; i++) {
            start(dir.resolve("n" + i), boot);
        }
        Subscription sub =
                new Subscription("subscription/dataset", List.of(root), 3, List.of(), "");
        List<DurabilityEvent> ev = first.durability().submit(sub.sign(USER, 1));
        assertThat(ev)
                .extracting(DurabilityEvent::kind)
                .contains(DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED);

        await("3 holders", () -> holders(nodes, root).size() >= 3);
        // the subscription spread: every node knows the factor
        for (LakeNode n : nodes) {
            await("factor known", () -> n.durability().status(root).factor() == 3);
        }
        // stop two holders (not the node that had the data first): the three nodes left must all
        // hold it, so at least one of them fetched it after the stop
        List<LakeNode> gone =
                holders(nodes, root).stream().filter(n -> n != first).limit(2).toList();
        assertThat(gone).hasSize(2);
        List<PeerId> goneIds = gone.stream().map(n -> n.mesh().peerId()).toList();
        for (LakeNode n : gone) {
            n.close();
            nodes.remove(n);
        }
        await("every one of the 3 nodes left holds it", () -> holders(nodes, root).size() == 3);
        for (LakeNode n : holders(nodes, root)) {
            assertThat(verifyDag(n, root)).isEqualTo(4);
        }
        await(
                "the stopped nodes are no longer active in the first node's view",
                () ->
                        first.durability().status(root).order().stream()
                                .noneMatch(
                                        v ->
                                                goneIds.contains(v.peer())
                                                        && v.role() == RootStatus.Role.ACTIVE));
        await(
                "a holder that sees the three holders",
                () -> nodes.stream().anyMatch(n -> n.durability().status(root).holders() == 3));
    }

    @Test
    void aDomainLimitsPlacementAndUnsubscribingCollectsAfterTheGrace(@TempDir Path dir)
            throws Exception {
        Cid root = putFile(dir.resolve("n0"), 3);
        LakeNode first = start(dir.resolve("n0"), List.of());
        List<Multiaddr> boot = List.of(first.mesh().addresses().get(0));
        LakeNode eu1 = start(dir.resolve("n1"), boot, "eu");
        LakeNode eu2 = start(dir.resolve("n2"), boot, "eu");
        LakeNode other = start(dir.resolve("n3"), boot);
        Subscription sub =
                new Subscription("subscription/eu-only", List.of(root), 2, List.of(), "eu");
        assertThat(first.durability().submit(sub.sign(USER, 1)))
                .extracting(DurabilityEvent::kind)
                .contains(DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED);
        await("both eu nodes hold it", () -> holders(List.of(eu1, eu2), root).size() == 2);
        assertThat(verifyDag(eu1, root)).isEqualTo(4);
        assertThat(verifyDag(eu2, root)).isEqualTo(4);
        assertThat(other.store().has(root)).as("a node outside the domain").isFalse();

        // a newer version without roots: after --gc-grace the eu nodes delete the blocks; the
        // first node keeps its own pin (a lake put) and its blocks
        Subscription none = new Subscription("subscription/eu-only", List.of(), 1, List.of(), "eu");
        assertThat(first.durability().submit(none.sign(USER, 2)))
                .extracting(DurabilityEvent::kind)
                .contains(DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED);
        await(
                "the eu nodes collected the DAG",
                () -> !eu1.store().has(root) && !eu2.store().has(root));
        assertThat(eu1.store().pins()).doesNotContain(root);
        assertThat(first.store().pins()).contains(root);
        assertThat(verifyDag(first, root)).isEqualTo(4);
    }

    @Test
    void hostileSubscriptionsAndFramesAreRefusedAndReportedWhileTheNodeServes(@TempDir Path dir)
            throws Exception {
        Cid root = putFile(dir.resolve("n0"), 2);
        LakeNode node = start(dir.resolve("n0"), List.of());
        DurabilityService d = node.durability();
        Subscription sub = new Subscription("subscription/s", List.of(root), 1, List.of(), "");

        // unauthorized author
        byte[] seed = new byte[32];
        seed[0] = 7;
        Ed25519KeyPair stranger = Ed25519KeyPair.fromSeed(seed);
        assertThat(d.submit(sub.sign(stranger, 5)))
                .extracting(DurabilityEvent::kind)
                .containsExactly(DurabilityEvent.Kind.SUBSCRIPTION_UNAUTHORIZED);

        // forged: a trusted author's record with another value under its signature
        SignedRecord good = sub.sign(USER, 5);
        byte[] enc = good.encoded();
        enc[enc.length - 1] ^= 1; // the signature's last byte
        assertThat(d.submit(SignedRecord.decode(enc, 1 << 16)))
                .extracting(DurabilityEvent::kind)
                .containsExactly(DurabilityEvent.Kind.SUBSCRIPTION_FORGED);

        assertThat(d.submit(good))
                .extracting(DurabilityEvent::kind)
                .contains(DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED);
        // replayed: the same record again, and an older version, change nothing
        assertThat(d.submit(good)).isEmpty();
        assertThat(d.submit(sub.sign(USER, 4))).isEmpty();
        // a version reused with other content
        Subscription other = new Subscription("subscription/s", List.of(root), 2, List.of(), "");
        assertThat(d.submit(other.sign(USER, 5)))
                .extracting(DurabilityEvent::kind)
                .containsExactly(DurabilityEvent.Kind.SUBSCRIPTION_CONFLICT);

        // a raw peer: garbage, an oversized frame and a flood of challenges
        MeshNode hostile = MeshNode.start(MeshNodeConfig.of(List.of(), List.of(), List.of()));
        others.add(hostile);
        Connection c = hostile.connect(node.mesh().addresses().get(0), 10_000);
        send(c, List.of(new byte[] {(byte) 0xff, 0x01, 0x02}));
        send(c, List.of(new byte[DurabilityCodec.defaults().maxMessageBytes() + 1]));
        DurabilityCodec codec = DurabilityCodec.defaults();
        List<byte[]> flood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.add(
                    codec.encode(
                            new DurabilityMessage.Challenge(i, root, new byte[32], List.of(root))));
        }
        for (int i = 0; i < 5; i++) {
            send(c, flood);
        }
        await(
                "flood and malformed input reported",
                () -> {
                    var counts = d.summary().eventCounts();
                    return counts.getOrDefault("challenge_flood", 0L) > 0
                            && counts.getOrDefault("malformed_message", 0L) >= 2;
                });
        assertThat(d.summary().eventCounts())
                .containsEntry("subscription_unauthorized", 1L)
                .containsEntry("subscription_forged", 1L)
                .containsEntry("subscription_conflict", 1L);
        assertThat(node.metrics().scrape())
                .contains("ipdm_node_durability_events_total{kind=\"subscription_forged\"} 1\n")
                .contains("ipdm_node_durability_events_total{kind=\"subscription_replayed\"} 2\n")
                .contains("ipdm_node_durability_held_roots 1\n");
        // still serving
        assertThat(node.status().peerId()).isEqualTo(node.mesh().peerId().toBase58());
        assertThat(d.status(root).holdsLocally()).isTrue();
    }

    private static void send(Connection c, List<byte[]> frames) throws Exception {
        YamuxStream s =
                c.newStream(
                                DurabilityWire.PROTOCOL,
                                new StreamHandler() {
                                    @Override
                                    public void onData(YamuxStream st, ByteBuf data) {}
                                })
                        .get(10, TimeUnit.SECONDS);
        for (byte[] f : frames) {
            s.write(LengthPrefixedReader.frame(f));
        }
        s.closeWrite();
    }
}
