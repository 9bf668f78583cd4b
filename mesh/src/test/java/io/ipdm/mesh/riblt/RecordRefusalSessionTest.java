package io.ipdm.mesh.riblt;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordPolicy;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Refused records are reconciled as known: offered once, then neither asked for nor sent. */
class RecordRefusalSessionTest {
    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate();
    private final Set<Ed25519KeyPair> trusted = ConcurrentHashMap.newKeySet();

    private RecordPolicy policy() {
        return RecordPolicy.byKind()
                .kind(
                        "sub/",
                        "subscription",
                        p -> trusted.stream().anyMatch(k -> k.peerId().equals(p)),
                        "the 'subscribe' role in the trust list")
                .build();
    }

    private static ReconcileSession[] round(RecordStore init, RecordStore resp) {
        ReconcileSession i = ReconcileSession.initiator(init, SyncConfig.defaults(), "r", 7, 0);
        ReconcileSession r = ReconcileSession.responder(resp, SyncConfig.defaults(), "i", 0);
        ReconcileSessionTest.pump(i, r);
        assertThat(i.state()).isEqualTo(ReconcileSession.State.DONE);
        assertThat(r.state()).isEqualTo(ReconcileSession.State.DONE);
        return new ReconcileSession[] {i, r};
    }

    @Test
    void aRefusedRecordIsOfferedOnceAndTheSetsConvergeUntilARestartWithAWiderTrustList() {
        trusted.add(alice);
        RecordStore gateway = new RecordStore(policy());
        RecordStore storage = new RecordStore();
        SignedRecord byBob = ReconcileSessionTest.record(bob, "sub/bob", 100, 1);
        SignedRecord byAlice = ReconcileSessionTest.record(alice, "sub/alice", 100, 1);
        storage.put(byBob);
        storage.put(byAlice);

        // first round, gateway initiating: both offered, bob's refused and remembered
        ReconcileSession[] first = round(gateway, storage);
        assertThat(first[0].stats().recordsReceived()).isEqualTo(2);
        assertThat(first[0].stats().accepted()).isEqualTo(1);
        assertThat(first[0].refusals())
                .extracting(PutResult::outcome)
                .containsExactly(PutResult.Outcome.UNAUTHORIZED);
        assertThat(gateway.refusedCount()).isEqualTo(1);

        // later rounds, either side initiating: no difference, no record moves
        for (int k = 0; k < 3; k++) {
            for (ReconcileSession[] s : List.of(round(gateway, storage), round(storage, gateway))) {
                for (ReconcileSession x : s) {
                    assertThat(x.stats().remoteOnly()).isZero();
                    assertThat(x.stats().localOnly()).isZero();
                    assertThat(x.stats().recordsSent()).isZero();
                    assertThat(x.stats().recordBytesReceived()).isZero();
                }
            }
        }
        assertThat(gateway.refusedCount()).isEqualTo(1);
        assertThat(gateway.size()).isEqualTo(1);

        // the trust list now includes bob, read when the node restarts: the restarted store
        // holds what it held, remembers no refusal, and the next round brings his record in
        trusted.add(bob);
        RecordStore restarted = new RecordStore(policy());
        gateway.withPrefix(new byte[0]).forEach(restarted::put);
        assertThat(restarted.refusedCount()).isZero();
        ReconcileSession[] after = round(storage, restarted);
        assertThat(after[0].stats().recordsSent()).isEqualTo(1);
        assertThat(after[1].stats().accepted()).isEqualTo(1);
        assertThat(restarted.latest(bob.publicKey(), byBob.key()).digest())
                .isEqualTo(byBob.digest());
    }

    @Test
    void aPeerPushingARefusedRecordAgainIsRefusedAsMisbehaving() {
        RecordStore gateway = new RecordStore(policy());
        SignedRecord byBob = ReconcileSessionTest.record(bob, "sub/bob", 10, 1);
        assertThat(gateway.put(byBob).repeat()).isFalse();
        PutResult again = gateway.put(byBob);
        assertThat(again.outcome()).isEqualTo(PutResult.Outcome.UNAUTHORIZED);
        assertThat(again.repeat()).isTrue();

        ReconcileSession s = ReconcileSession.initiator(gateway, SyncConfig.defaults(), "p", 1, 0);
        s.start();
        // a responder pushes bob's record though the gateway's symbols said it knows it
        s.onMessage(
                SyncCodec.encode(
                        SyncMessage.items(SyncMessage.Type.RECORDS, List.of(byBob.encoded()))),
                0);
        assertThat(s.state()).isEqualTo(ReconcileSession.State.FAILED);
        assertThat(s.invalidRecord()).isTrue();
        assertThat(s.failure()).contains("again after this node refused it");
    }

    @Test
    void refusalsAreBoundedAndExpire() {
        AtomicLong now = new AtomicLong();
        RecordStore gateway = new RecordStore(policy());
        gateway.refusalMemory(2, Duration.ofMinutes(10), now::get);
        for (int i = 0; i < 3; i++) {
            gateway.put(ReconcileSessionTest.record(bob, "sub/" + i, 10, 1));
            now.addAndGet(60_000);
        }
        assertThat(gateway.refusedCount()).isEqualTo(2);
        assertThat(gateway.syncSnapshot().digests()).hasSize(2);
        now.addAndGet(10 * 60_000);
        assertThat(gateway.refusedCount()).isZero();
        assertThat(gateway.syncSnapshot().digests()).isEmpty();
        // once forgotten, the record is offered again and refused as new (not as a repeat)
        assertThat(gateway.put(ReconcileSessionTest.record(bob, "sub/0", 10, 1)).repeat())
                .isFalse();
    }
}
