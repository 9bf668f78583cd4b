package io.ipdm.mesh.node;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordPolicy;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordServiceTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    // the on-connect reconciliation comes 2 s after a dial; a test counting gossip waits for it
    // to end first (a record it carried would count as a gossip duplicate: the test raced it)
    private static final RecordService.Config FAST =
            new RecordService.Config(
                    io.ipdm.mesh.riblt.SyncConfig.defaults(),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(30));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private MeshNode node(List<Multiaddr> bootstrap) {
        MeshNode n = MeshNode.start(MeshNodeConfig.of(List.of(ANY), bootstrap, List.of()));
        open.add(n);
        return n;
    }

    private RecordService service(MeshNode n, RecordStore store) {
        RecordService s = RecordService.start(n, store, FAST);
        open.add(s);
        open.add(store);
        return s;
    }

    private SignedRecord rec(String key, long v) {
        return SignedRecord.sign(
                alice,
                key.getBytes(StandardCharsets.UTF_8),
                ("v" + v).getBytes(StandardCharsets.UTF_8),
                v);
    }

    @Test
    void publishedRecordsArriveByGossipAndALateNodeCatchesUpByReconciliation(@TempDir Path dir)
            throws Exception {
        MeshNode a = node(List.of());
        RecordService ra = service(a, new RecordStore());
        MeshNode b = node(a.addresses());
        RecordService rb = service(b, RecordStore.open(dir.resolve("b.log"), 65536));
        List<String> heard = new CopyOnWriteArrayList<>();
        rb.listen("sub/", r -> heard.add(r.keyText() + " v" + r.version()));
        a.gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        // b's on-connect reconciliation first: records published while it runs could arrive by
        // it rather than by gossip (and count as gossip duplicates); the next one is 30 s away
        await(() -> rb.status().syncSessions() == 1);

        assertThat(ra.publish(rec("sub/1", 1)).accepted()).isTrue();
        assertThat(ra.publish(rec("att/1", 1)).accepted()).isTrue();
        assertThat(ra.publish(rec("sub/1", 2)).accepted()).isTrue();
        assertThat(ra.publish(rec("sub/1", 1)).outcome()).isEqualTo(PutResult.Outcome.STALE);
        await(() -> rb.store().size() == 2);
        await(() -> heard.size() == 2);
        assertThat(heard).containsExactly("sub/1 v1", "sub/1 v2");
        assertThat(rb.records("att/")).extracting(SignedRecord::keyText).containsExactly("att/1");
        await(() -> rb.status().gossip().get("accepted") == 3); // counted after listeners ran

        // c was offline while these were published: it catches up when it dials a
        for (int i = 0; i < 50; i++) {
            ra.publish(rec("att/more/" + i, 1));
        }
        MeshNode c = node(a.addresses());
        RecordService rc = service(c, new RecordStore());
        await(() -> rc.store().size() == 52);
        await(() -> rc.status().syncSessions() >= 1);
        assertThat(rc.status().syncRecordsAccepted()).isEqualTo(52);
        assertThat(rc.status().syncFailures()).isZero();
    }

    @Test
    void forgedAndMalformedGossipIsRefusedWithAReasonAndTheNodeKeepsServing() throws Exception {
        MeshNode b = node(List.of());
        RecordService rb = service(b, new RecordStore());
        // peers without the record service: they publish whatever bytes they like. One invalid
        // message (P4) puts a peer below the graylist threshold, so each hostile act gets its own.
        MeshNode evil = node(b.addresses());
        MeshNode garbler = node(b.addresses());
        MeshNode relay = node(b.addresses());
        for (MeshNode n : List.of(evil, garbler, relay)) {
            n.subscribe(RecordService.TOPIC, (m, from) -> {});
            n.gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        }

        byte[] forged = rec("sub/x", 7).encoded();
        forged[forged.length - 1] ^= 1; // the last signature byte
        evil.publish(RecordService.TOPIC, forged).get(10, TimeUnit.SECONDS);
        garbler.publish(RecordService.TOPIC, new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
        await(() -> rb.status().gossip().get("forged") == 1);
        await(() -> rb.status().gossip().get("malformed") == 1);
        assertThat(rb.store().size()).isZero();
        assertThat(rb.status().recentRefusals())
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .isEqualTo(
                                                "gossip from "
                                                        + evil.peerId()
                                                        + ": record sub/x v7 by "
                                                        + alice.peerId()
                                                        + ": signature does not verify against"
                                                        + " the author key; refused"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .startsWith(
                                                "gossip from "
                                                        + garbler.peerId()
                                                        + ": signed record: "));
        assertThat(b.gossip().score(evil.peerId())).isNegative();
        assertThat(b.gossip().score(garbler.peerId())).isNegative();

        // a replay of an old version relayed by anyone is counted, not stored, not penalized
        rb.publish(rec("sub/y", 2));
        relay.publish(RecordService.TOPIC, rec("sub/y", 1).encoded()).get(10, TimeUnit.SECONDS);
        await(() -> rb.status().gossip().get("stale") == 1);
        assertThat(
                        rb.store()
                                .latest(alice.publicKey(), "sub/y".getBytes(StandardCharsets.UTF_8))
                                .version())
                .isEqualTo(2);
        // and the node still serves honest records
        relay.publish(RecordService.TOPIC, rec("sub/z", 1).encoded()).get(10, TimeUnit.SECONDS);
        await(() -> rb.store().size() == 2);
        assertThat(b.gossip().score(relay.peerId())).isNotNegative();
    }

    /**
     * A validly signed record from an author the relay does not allow for its kind is ignored
     * there: not stored, not forwarded (c hears of it only through b), and the peer that sent it is
     * not penalized (trust lists differ per node); an allowed record takes the same path.
     */
    @Test
    void unauthorizedRecordsAreNeitherStoredNorForwardedAndTheirRelayIsNotPenalized()
            throws Exception {
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        RecordPolicy onlyAlice =
                RecordPolicy.byKind()
                        .kind(
                                "sub/",
                                "subscription",
                                p -> p.equals(alice.peerId()),
                                "the 'subscribe' role in the trust list")
                        .build();
        MeshNode a = node(List.of());
        RecordService ra = service(a, new RecordStore());
        MeshNode b = node(a.addresses());
        RecordService rb = service(b, new RecordStore(onlyAlice));
        MeshNode c = node(b.addresses());
        RecordService rc = service(c, new RecordStore());
        a.gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        c.gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        assertThat(c.host().connection(a.peerId())).as("c reaches a only through b").isNull();

        SignedRecord byBob =
                SignedRecord.sign(
                        bob,
                        "sub/bob".getBytes(StandardCharsets.UTF_8),
                        "x".getBytes(StandardCharsets.UTF_8),
                        1);
        assertThat(ra.publish(byBob).accepted()).isTrue();
        await(() -> rb.status().gossip().get("unauthorized") == 1);
        assertThat(rb.store().size()).isZero();
        assertThat(rb.status().recentRefusals())
                .contains(
                        "gossip from "
                                + a.peerId()
                                + ": record sub/bob v1 by "
                                + bob.peerId()
                                + ": "
                                + bob.peerId()
                                + " may not author subscription records here (it needs the"
                                + " 'subscribe' role in the trust list); refused");
        assertThat(rb.store().put(byBob).outcome()).isEqualTo(PutResult.Outcome.UNAUTHORIZED);
        assertThat(rb.store().put(rec("other/1", 1)).reason())
                .endsWith(
                        ": no record kind of this node has its key; it stores only sub/;"
                                + " refused");

        // an allowed record goes the same way and arrives: the path works
        assertThat(ra.publish(rec("sub/alice", 1)).accepted()).isTrue();
        await(() -> rc.store().size() == 1);
        assertThat(rc.records("sub/"))
                .extracting(SignedRecord::keyText)
                .containsExactly("sub/alice");
        // by gossip or reconciliation with b, c got alice's record and never bob's
        assertThat(rc.store().latest(bob.publicKey(), "sub/bob".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(b.gossip().score(a.peerId())).isNotNegative();
    }

    /**
     * A node offline while 10,000 attestation-like records (three authors; job CID, window, root
     * CID, time) were made catches up by reconciliation when it dials back, with the bytes on the
     * record stream (both ways, length prefixes included) within twice the records' own size.
     */
    @Test
    void aNodeOfflineWhile10000AttestationsWereMadeCatchesUpWithinTwiceTheirSize()
            throws Exception {
        List<Ed25519KeyPair> authors =
                List.of(
                        Ed25519KeyPair.generate(),
                        Ed25519KeyPair.generate(),
                        Ed25519KeyPair.generate());
        RecordStore before = new RecordStore();
        RecordStore full = new RecordStore();
        for (int i = 0; i < 500; i++) {
            SignedRecord r = attestation(authors.get(i % 3), i);
            before.put(r);
            full.put(r);
        }
        long missed = 0;
        for (int i = 500; i < 10_500; i++) {
            SignedRecord r = attestation(authors.get(i % 3), i);
            full.put(r);
            missed += r.encodedLength();
        }
        MeshNode a = node(List.of());
        RecordService ra = service(a, full);
        MeshNode b = node(a.addresses());
        RecordService rb = service(b, before);
        await(() -> rb.status().syncSessions() == 1);
        assertThat(rb.store().size()).isEqualTo(10_500);
        assertThat(new java.util.HashSet<>(hex(rb.store().digests())))
                .isEqualTo(new java.util.HashSet<>(hex(ra.store().digests())));
        RecordStatus st = rb.status();
        assertThat(st.syncRecordsAccepted()).isEqualTo(10_000);
        assertThat(st.syncFailures()).isZero();
        assertThat(st.syncBytes()).isGreaterThan(missed).isLessThanOrEqualTo(2 * missed);
    }

    private static List<String> hex(List<byte[]> ds) {
        return ds.stream().map(java.util.HexFormat.of()::formatHex).toList();
    }

    private static SignedRecord attestation(Ed25519KeyPair author, int i) {
        String key = "att/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy/" + i;
        String value =
                "{\"job\":\"bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy\","
                        + "\"window_start\":"
                        + (1_700_000_000L + 30L * i)
                        + ",\"window_end\":"
                        + (1_700_000_030L + 30L * i)
                        + ",\"root\":\"bafyreib"
                        + String.format("%052d", i)
                        + "\",\"at\":"
                        + (1_765_000_000_000L + i)
                        + "}";
        return SignedRecord.sign(
                author,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                1);
    }

    /**
     * A peer flooding a batch of symbols over the session's limit is cut off with a reason; others
     * still sync.
     */
    @Test
    void aSymbolFloodIsRefusedWithAReasonAndOthersStillSync() throws Exception {
        MeshNode b = node(List.of());
        RecordService rb = service(b, new RecordStore());
        rb.publish(rec("sub/1", 1));
        MeshNode evil = node(b.addresses());
        await(() -> evil.host().connection(b.peerId()) != null);
        io.ipdm.mesh.yamux.YamuxStream s =
                evil.host()
                        .connection(b.peerId())
                        .newStream(
                                io.ipdm.mesh.riblt.RecordSync.PROTOCOL,
                                new io.ipdm.mesh.yamux.StreamHandler() {
                                    @Override
                                    public void onData(
                                            io.ipdm.mesh.yamux.YamuxStream st,
                                            io.netty.buffer.ByteBuf data) {}
                                })
                        .get(10, TimeUnit.SECONDS);
        java.util.Random rnd = new java.util.Random(3);
        evil.host()
                .eventLoop()
                .execute(
                        () -> {
                            for (int batch = 0; batch < 1; batch++) {
                                // over maxBatch (4096): a flood
                                io.ipdm.mesh.riblt.CodedSymbols run =
                                        new io.ipdm.mesh.riblt.CodedSymbols(0, 5000);
                                for (int k = 0; k < 5000; k++) {
                                    run.add(
                                            rnd.nextLong(),
                                            rnd.nextLong(),
                                            rnd.nextLong(),
                                            rnd.nextLong(),
                                            rnd.nextLong(),
                                            1);
                                }
                                s.write(
                                        io.ipdm.mesh.transport.LengthPrefixedReader.frame(
                                                io.ipdm.mesh.riblt.SyncCodec.encode(
                                                        new io.ipdm.mesh.riblt.SyncMessage(
                                                                io.ipdm.mesh.riblt.SyncMessage.Type
                                                                        .SYMBOLS,
                                                                run,
                                                                5,
                                                                List.of(),
                                                                ""))));
                            }
                        });
        await(
                () ->
                        rb.status().recentRefusals().stream()
                                .anyMatch(
                                        r ->
                                                r.startsWith(
                                                        "served session: session with "
                                                                + evil.peerId())));
        // an honest node still catches up from b
        MeshNode c = node(b.addresses());
        RecordService rc = service(c, new RecordStore());
        await(() -> rc.store().size() == 1);
    }

    @Test
    void aRestartedNodeKeepsItsRecords(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("records/records.log");
        MeshNode a = MeshNode.start(MeshNodeConfig.of(List.of(ANY), List.of(), List.of()));
        RecordStore s = RecordStore.open(log, 65536);
        RecordService ra = RecordService.start(a, s, FAST);
        ra.publish(rec("sub/1", 3));
        ra.close();
        a.close();
        s.close();
        MeshNode a2 = node(List.of());
        RecordService ra2 = service(a2, RecordStore.open(log, 65536));
        assertThat(ra2.records("sub/")).extracting(SignedRecord::version).containsExactly(3L);
        assertThat(ra2.status().file()).isEqualTo(log.toString());
        assertThat(ra2.status().toJson()).startsWith("{\"records\":1,\"file\":\"" + log + "\"");
    }
}
