package io.ipdm.mesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.records.RecordPolicy;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.riblt.SyncConfig;
import io.ipdm.mesh.riblt.SyncResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway without trust for bob, two storage peers holding bob's subscription record: it is
 * refused once, then reconciliation in either direction moves no record and the status holds one
 * line for it; a gateway restarted trusting bob brings it in.
 */
class RecordRefusalServiceTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    // rounds are driven by the test: the background ones would come after an hour
    private static final RecordService.Config MANUAL =
            new RecordService.Config(
                    SyncConfig.defaults(),
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    Duration.ofHours(1));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate();
    private final Set<PeerId> trusted = ConcurrentHashMap.newKeySet();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private record Node(MeshNode mesh, RecordService records) {}

    private Node node(List<Multiaddr> bootstrap, RecordStore store) {
        MeshNode n = MeshNode.start(MeshNodeConfig.of(List.of(ANY), bootstrap, List.of()));
        open.add(n);
        RecordService s = RecordService.start(n, store, MANUAL);
        open.add(s);
        open.add(store);
        return new Node(n, s);
    }

    private RecordPolicy policy() {
        return RecordPolicy.byKind()
                .kind(
                        "subscription/",
                        "subscription",
                        trusted::contains,
                        "the 'subscribe' role in the trust list")
                .build();
    }

    private SignedRecord sub(Ed25519KeyPair author) {
        return SignedRecord.sign(
                author,
                ("subscription/" + author.peerId()).getBytes(StandardCharsets.UTF_8),
                "job".getBytes(StandardCharsets.UTF_8),
                1);
    }

    private static SyncResult sync(RecordService from, MeshNode to) throws Exception {
        return from.syncWith(to.peerId()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedRecordIsTransferredOnceAndAcceptedAfterARestartTrustingItsSigner()
            throws Exception {
        trusted.add(alice.peerId());
        Node gateway = node(List.of(), new RecordStore(policy()));
        RecordService g = gateway.records();
        MeshNode gm = gateway.mesh();
        List<String> penalties = new CopyOnWriteArrayList<>();
        g.onPeerMisbehaved((p, why) -> penalties.add(p + " " + why));
        List<RecordService> storage = new ArrayList<>();
        List<MeshNode> storageMesh = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RecordStore st = new RecordStore();
            st.put(sub(alice));
            st.put(sub(bob));
            Node s = node(gm.addresses(), st);
            s.records().onPeerMisbehaved((p, why) -> penalties.add(p + " " + why));
            storage.add(s.records());
            storageMesh.add(s.mesh());
        }
        for (MeshNode m : storageMesh) {
            m.gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        }

        // first round: the storage peer offers both, the gateway takes alice's and refuses bob's
        SyncResult first = sync(g, storageMesh.get(0));
        assertThat(first.stats().recordsReceived()).isEqualTo(2);
        assertThat(first.stats().accepted()).isEqualTo(1);
        RecordStatus afterFirst = g.status();
        assertThat(afterFirst.refusedRecords()).isEqualTo(1);
        assertThat(afterFirst.recentRefusals())
                .singleElement()
                .asString()
                .contains("may not author subscription records here")
                .contains(bob.peerId().toString());

        // later rounds with both storage peers, in both directions: no record bytes move
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                SyncResult in = sync(g, storageMesh.get(i));
                SyncResult out = sync(storage.get(i), gm);
                for (SyncResult r : List.of(in, out)) {
                    assertThat(r.stats().recordsSent()).as("round %d peer %d", round, i).isZero();
                    assertThat(r.stats().recordBytesReceived()).isZero();
                    assertThat(r.stats().remoteOnly()).isZero();
                    assertThat(r.stats().localOnly()).isZero();
                    assertThat(r.refusals()).isEmpty();
                }
            }
        }
        RecordStatus later = g.status();
        assertThat(later.refusedRecords()).isEqualTo(1);
        assertThat(later.recentRefusals()).isEqualTo(afterFirst.recentRefusals());
        assertThat(later.syncRecordsReceived()).isEqualTo(afterFirst.syncRecordsReceived());
        assertThat(later.syncFailures()).isZero();
        assertThat(g.store().size()).isEqualTo(1);
        assertThat(penalties).isEmpty();

        // the trust list now includes bob, read when the gateway restarts: holding what it held
        // and remembering no refusal, its first round brings his record in
        trusted.add(bob.peerId());
        RecordStore restartedStore = new RecordStore(policy());
        g.store().withPrefix(new byte[0]).forEach(restartedStore::put);
        Node restarted = node(storageMesh.get(1).addresses(), restartedStore);
        restarted.mesh().gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
        RecordService r = restarted.records();
        SyncResult trustedNow = sync(r, storageMesh.get(1));
        assertThat(trustedNow.stats().accepted()).isEqualTo(1);
        assertThat(r.store().size()).isEqualTo(2);
        assertThat(r.records("subscription/"))
                .extracting(SignedRecord::authorId)
                .containsExactlyInAnyOrder(alice.peerId(), bob.peerId());
        assertThat(r.status().refusedRecords()).isZero();
        assertThat(penalties).isEmpty();
    }
}
