package io.ipdm.mesh.riblt;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcileSessionTest {
    static final Ed25519KeyPair ALICE = Ed25519KeyPair.fromSeed(new byte[32]);

    static SignedRecord record(Ed25519KeyPair author, String key, int valueBytes, long version) {
        byte[] value = new byte[valueBytes];
        new Random(key.hashCode() * 31L + version).nextBytes(value);
        return SignedRecord.sign(author, key.getBytes(StandardCharsets.UTF_8), value, version);
    }

    /** Delivers messages both ways until both sessions stop or nothing is left to deliver. */
    static void pump(ReconcileSession init, ReconcileSession resp) {
        Deque<byte[]> toResp = new ArrayDeque<>(init.start());
        Deque<byte[]> toInit = new ArrayDeque<>();
        while (!toResp.isEmpty() || !toInit.isEmpty()) {
            if (!toResp.isEmpty()) {
                toInit.addAll(resp.onMessage(toResp.poll(), 0));
            } else {
                toResp.addAll(init.onMessage(toInit.poll(), 0));
            }
        }
    }

    static Set<String> digests(RecordStore s) {
        Set<String> out = new HashSet<>();
        s.digests().forEach(d -> out.add(HexFormat.of().formatHex(d)));
        return out;
    }

    @Test
    void aNodeThatMissed10000RecordsCatchesUpWithinTwiceTheirSize() {
        RecordStore fresh = new RecordStore();
        RecordStore full = new RecordStore();
        for (int i = 0; i < 500; i++) {
            SignedRecord r = record(ALICE, "old/" + i, 100, 1);
            fresh.put(r);
            full.put(r);
        }
        long missedBytes = 0;
        for (int i = 0; i < 10_000; i++) {
            SignedRecord r = record(ALICE, "attestation/" + i, 100, 1);
            full.put(r);
            missedBytes += r.encodedLength();
        }
        // The node back from its outage initiates; its peer decodes and pushes what it lacks.
        ReconcileSession init =
                ReconcileSession.initiator(fresh, SyncConfig.defaults(), "full", 42, 0);
        ReconcileSession resp = ReconcileSession.responder(full, SyncConfig.defaults(), "fresh", 0);
        pump(init, resp);
        assertThat(init.state()).isEqualTo(ReconcileSession.State.DONE);
        assertThat(resp.state()).isEqualTo(ReconcileSession.State.DONE);
        assertThat(digests(fresh)).isEqualTo(digests(full));
        SyncStats in = init.stats();
        assertThat(in.accepted()).isEqualTo(10_000);
        assertThat(resp.stats().localOnly()).isEqualTo(10_000);
        long wire = in.bytesSent() + in.bytesReceived();
        assertThat(wire).isEqualTo(resp.stats().bytesSent() + resp.stats().bytesReceived());
        assertThat(wire).isLessThanOrEqualTo(2 * missedBytes);
        assertThat(resp.stats().symbolsUsed()).isBetween(10_000L, 17_000L);
    }

    @Test
    void bothSidesGetWhatTheyLackAndTheHighestVersionWins() {
        RecordStore a = new RecordStore();
        RecordStore b = new RecordStore();
        for (int i = 0; i < 300; i++) {
            SignedRecord r = record(ALICE, "common/" + i, 50, 1);
            a.put(r);
            b.put(r);
        }
        for (int i = 0; i < 20; i++) {
            a.put(record(ALICE, "a/" + i, 50, 1));
            b.put(record(ALICE, "b/" + i, 50, 1));
        }
        a.put(record(ALICE, "versioned", 10, 2));
        b.put(record(ALICE, "versioned", 10, 1));
        ReconcileSession init = ReconcileSession.initiator(a, SyncConfig.defaults(), "b", 7, 0);
        ReconcileSession resp = ReconcileSession.responder(b, SyncConfig.defaults(), "a", 0);
        pump(init, resp);
        assertThat(init.state()).isEqualTo(ReconcileSession.State.DONE);
        assertThat(resp.state()).isEqualTo(ReconcileSession.State.DONE);
        assertThat(digests(a)).isEqualTo(digests(b)).hasSize(341);
        byte[] key = "versioned".getBytes(StandardCharsets.UTF_8);
        assertThat(b.latest(ALICE.publicKey(), key).version()).isEqualTo(2);
        // a received b's v1 (a differing digest) and ignored it as a replay, saying why.
        assertThat(init.refusals()).hasSize(1);
        assertThat(init.refusals().getFirst().outcome()).isEqualTo(PutResult.Outcome.STALE);
        assertThat(init.refusals().getFirst().reason())
                .contains("replay of an old version, v2 is held; ignored");
    }

    @Test
    void aForgedRecordEndsTheSessionWithTheReason() {
        RecordStore a = new RecordStore();
        ReconcileSession init =
                ReconcileSession.initiator(a, SyncConfig.defaults(), "mallory", 1, 0);
        init.start();
        byte[] bytes = record(ALICE, "k", 10, 1).encoded();
        bytes[bytes.length - 3] ^= 0x40;
        List<byte[]> out =
                init.onMessage(
                        SyncCodec.encode(
                                SyncMessage.items(SyncMessage.Type.RECORDS, List.of(bytes))),
                        0);
        assertThat(init.state()).isEqualTo(ReconcileSession.State.FAILED);
        assertThat(init.failure())
                .startsWith("session with mallory: the peer sent a forged record: record k v1 by ")
                .endsWith("signature does not verify against the author key; refused");
        assertThat(SyncCodec.decode(out.getFirst(), 10, 10).type())
                .isEqualTo(SyncMessage.Type.ABORT);
        assertThat(a.size()).isZero();
    }

    @Test
    void symbolsThatNeverDecodeEndTheSessionAtTheLimit() {
        RecordStore b = new RecordStore();
        b.put(record(ALICE, "k", 10, 1));
        SyncConfig cfg = new SyncConfig(64, 256, 2000, 1000, 1024, 1 << 20, Duration.ofSeconds(5));
        ReconcileSession resp = ReconcileSession.responder(b, cfg, "mallory", 0);
        Random r = new Random(3);
        List<byte[]> out = List.of();
        int batches = 0;
        for (long first = 0; resp.state() == ReconcileSession.State.RUNNING; first += 200) {
            CodedSymbols run = new CodedSymbols(first, 200);
            for (int k = 0; k < 200; k++) {
                run.add(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), 5);
            }
            out = resp.onMessage(SyncCodec.encode(SyncMessage.symbols(run, 9)), 0);
            batches++;
        }
        assertThat(batches).isEqualTo(11);
        assertThat(resp.failure())
                .isEqualTo(
                        "session with mallory: the remote stream did not decode within 2000 coded"
                                + " symbols (limit maxSymbols); its set differs from ours by more"
                                + " than this session allows, or it is not a RIBLT stream of this"
                                + " salt");
        assertThat(SyncCodec.decode(out.getFirst(), 10, 10).reason())
                .startsWith("the remote stream did not decode");
        // The store is untouched and the session ignores anything further.
        assertThat(b.size()).isEqualTo(1);
        assertThat(resp.onMessage(new byte[] {1, 2, 3}, 0)).isEmpty();
    }

    @Test
    void oversizedBatchesUnaskedBatchesAndSilenceEndTheSession() {
        SyncConfig cfg = new SyncConfig(8, 16, 1000, 100, 1024, 1 << 20, Duration.ofSeconds(5));
        ReconcileSession resp = ReconcileSession.responder(new RecordStore(), cfg, "p", 0);
        CodedSymbols big = new CodedSymbols(0, 17);
        for (int k = 0; k < 17; k++) {
            big.add(1, 2, 3, 4, 5, 1);
        }
        resp.onMessage(SyncCodec.encode(SyncMessage.symbols(big, 1)), 0);
        assertThat(resp.failure())
                .isEqualTo(
                        "session with p: a batch of 17 coded symbols exceeds the limit of 16"
                                + " (maxBatch)");

        // Two empty stores decode at once; a further batch was not asked for.
        RecordStore empty = new RecordStore();
        ReconcileSession init = ReconcileSession.initiator(empty, cfg, "q", 5, 0);
        ReconcileSession resp2 = ReconcileSession.responder(new RecordStore(), cfg, "p", 0);
        byte[] batch = init.start().getFirst();
        resp2.onMessage(batch, 0);
        resp2.onMessage(batch, 0);
        assertThat(resp2.failure()).contains("symbol flood: a SYMBOLS batch arrived that was not");

        ReconcileSession idle = ReconcileSession.initiator(empty, cfg, "r", 5, 1000);
        idle.start();
        assertThat(idle.onTimer(5999)).isEmpty();
        assertThat(idle.nextTimerMillis()).isEqualTo(6000);
        assertThat(idle.onTimer(6000)).hasSize(1);
        assertThat(idle.failure())
                .isEqualTo("session with r: no message from the peer for PT5S (idleTimeout)");
    }

    @Test
    void malformedMessagesAreRefusedWithAReason() {
        ReconcileSession resp =
                ReconcileSession.responder(new RecordStore(), SyncConfig.defaults(), "p", 0);
        resp.onMessage(new byte[] {0x08, 0x63}, 0);
        assertThat(resp.failure()).isEqualTo("session with p: sync message of unknown type 99");
    }
}
