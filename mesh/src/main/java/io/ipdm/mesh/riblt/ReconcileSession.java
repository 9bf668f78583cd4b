package io.ipdm.mesh.riblt;

import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Varint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One reconciliation of two {@link RecordStore}s, sans-io: fed the peer's messages and the time, it
 * answers with the messages to send. The initiator streams coded symbols of its record digests in
 * growing batches (each after the responder's MORE, so a batch sent unasked is a flood); the
 * responder decodes them against its own digests and, once decoded, sends the records only it
 * holds, then WANT for the digests only the initiator holds, then DONE; the initiator answers with
 * those records and FINISH.
 *
 * <pre>
 * initiator                         responder
 *   SYMBOLS(first=0, salt) -------->  decode
 *                          <-------- MORE
 *   SYMBOLS(first=64)      -------->  decoded
 *                          <-------- RECORDS*, WANT*, DONE
 *   RECORDS*, FINISH       -------->
 * </pre>
 *
 * Each side reconciles {@link RecordStore#syncSnapshot}: its records plus those its store refused,
 * so a refused record is offered once, not every session. Received records go through {@link
 * RecordStore#put}; a forged one, or one this side had refused and counted as known, ends the
 * session ({@link #invalidRecord()}). A broken limit (see {@link SyncConfig}), an unrequested
 * record, a malformed message, symbols that do not decode within {@code maxSymbols}, or silence for
 * {@code idleTimeout} end it too: the session sends ABORT with the reason and {@link #failure()}
 * holds it. Not thread-safe: one caller at a time (the adapter's event loop).
 */
public final class ReconcileSession {
    public enum State {
        RUNNING,
        DONE,
        FAILED
    }

    private final boolean initiator;
    private final RecordStore store;
    private final SyncConfig config;
    private final String peer;
    private State state = State.RUNNING;
    private String failure;
    private boolean invalidRecord;
    private long lastActivity;

    // initiator
    private RibltEncoder encoder;
    private long salt;
    private final List<byte[]> wanted = new ArrayList<>();
    // responder
    private RibltDecoder decoder;
    private boolean awaitingSymbols = true;
    private final Set<ByteBuffer> requested = new HashSet<>();

    private long symbolsSent;
    private long symbolsReceived;
    private int remoteOnly;
    private int localOnly;
    private int recordsSent;
    private int recordsReceived;
    private int accepted;
    private int ignored;
    private long bytesSent;
    private long bytesReceived;
    private long recordBytesReceived;
    private final List<PutResult> refusals = new ArrayList<>();
    // digests the store had refused when this session took its snapshot: encoded as known
    private Set<ByteBuffer> refusedBefore = Set.of();

    private ReconcileSession(
            boolean initiator, RecordStore store, SyncConfig config, String peer, long now) {
        this.initiator = initiator;
        this.store = store;
        this.config = config;
        this.peer = peer;
        this.lastActivity = now;
    }

    /** The side that streams symbols; {@code salt} should come from a secure random source. */
    public static ReconcileSession initiator(
            RecordStore store, SyncConfig config, String peer, long salt, long nowMillis) {
        ReconcileSession s = new ReconcileSession(true, store, config, peer, nowMillis);
        s.salt = salt;
        return s;
    }

    /** The side that decodes. */
    public static ReconcileSession responder(
            RecordStore store, SyncConfig config, String peer, long nowMillis) {
        return new ReconcileSession(false, store, config, peer, nowMillis);
    }

    /** The initiator's first batch (takes the snapshot of its digests); empty for a responder. */
    public List<byte[]> start() {
        List<byte[]> out = new ArrayList<>();
        if (initiator && encoder == null) {
            encoder = new RibltEncoder(salt);
            RecordStore.SyncSnapshot snap = store.syncSnapshot();
            refusedBefore = snap.refused();
            for (byte[] d : snap.digests()) {
                encoder.add(d);
            }
            sendBatch(out, config.initialBatch());
        }
        return out;
    }

    /** Handles one message from the peer; returns the messages to send, in order. */
    public List<byte[]> onMessage(byte[] bytes, long nowMillis) {
        List<byte[]> out = new ArrayList<>();
        if (state != State.RUNNING) {
            return out;
        }
        lastActivity = nowMillis;
        bytesReceived += bytes.length + Varint.encodedLength(bytes.length);
        try {
            SyncMessage m = SyncCodec.decode(bytes, config.maxBatch(), config.maxDifferences());
            if (m.type() == SyncMessage.Type.ABORT) {
                state = State.FAILED;
                failure = "peer " + peer + " ended the session: " + m.reason();
                return out;
            }
            if (initiator) {
                onInitiatorMessage(m, out);
            } else {
                onResponderMessage(m, out);
            }
        } catch (RibltException | RecordException e) {
            invalidRecord =
                    e instanceof RecordException
                            || (e instanceof RibltException r && r.invalidRecord());
            fail(out, e.getMessage());
        }
        return out;
    }

    /** Ends the session when the peer has been silent for {@code idleTimeout}. */
    public List<byte[]> onTimer(long nowMillis) {
        List<byte[]> out = new ArrayList<>();
        if (state == State.RUNNING && nowMillis - lastActivity >= config.idleTimeout().toMillis()) {
            fail(out, "no message from the peer for " + config.idleTimeout() + " (idleTimeout)");
        }
        return out;
    }

    /** When {@link #onTimer} should next be called. */
    public long nextTimerMillis() {
        return lastActivity + config.idleTimeout().toMillis();
    }

    /** The peer's name as given at construction. */
    public String peer() {
        return peer;
    }

    public State state() {
        return state;
    }

    /** Why the session failed (naming the peer and the limit), or null. */
    public String failure() {
        return failure;
    }

    /**
     * Whether the session failed because the peer sent a forged or undecodable record, or pushed
     * again a record this side had refused.
     */
    public boolean invalidRecord() {
        return invalidRecord;
    }

    /** Records received that the store refused or ignored, with the store's reason. */
    public List<PutResult> refusals() {
        return List.copyOf(refusals);
    }

    public SyncStats stats() {
        return new SyncStats(
                symbolsSent,
                symbolsReceived,
                decoder == null ? -1 : decoder.symbolsUsed(),
                remoteOnly,
                localOnly,
                recordsSent,
                recordsReceived,
                accepted,
                ignored,
                bytesSent,
                bytesReceived,
                recordBytesReceived);
    }

    private void onInitiatorMessage(SyncMessage m, List<byte[]> out) {
        switch (m.type()) {
            case MORE -> {
                if (symbolsSent >= config.maxSymbols()) {
                    throw new RibltException(
                            "the peer did not decode after "
                                    + symbolsSent
                                    + " coded symbols (limit maxSymbols)");
                }
                long batch = Math.max(config.initialBatch(), symbolsSent / 8);
                batch = Math.min(batch, config.maxBatch());
                batch = Math.min(batch, config.maxSymbols() - symbolsSent);
                sendBatch(out, (int) batch);
            }
            case RECORDS -> {
                receiveRecords(m.items(), false);
                remoteOnly = recordsReceived;
            }
            case WANT -> {
                if (wanted.size() + m.items().size() > config.maxDifferences()) {
                    throw new RibltException(
                            "the peer wants more than "
                                    + config.maxDifferences()
                                    + " records (limit maxDifferences)");
                }
                for (byte[] d : m.items()) {
                    if (d.length != 32) {
                        throw new RibltException("WANT carries a digest of " + d.length + " bytes");
                    }
                    wanted.add(d);
                }
            }
            case DONE -> {
                List<byte[]> records = new ArrayList<>();
                for (byte[] d : wanted) {
                    SignedRecord r = store.get(d);
                    if (r != null) {
                        records.add(r.encoded());
                    }
                }
                localOnly = wanted.size();
                sendItems(out, SyncMessage.Type.RECORDS, records);
                recordsSent += records.size();
                send(out, SyncMessage.of(SyncMessage.Type.FINISH));
                state = State.DONE;
            }
            default -> throw new RibltException("unexpected " + m.type() + " for an initiator");
        }
    }

    private void onResponderMessage(SyncMessage m, List<byte[]> out) {
        switch (m.type()) {
            case SYMBOLS -> {
                if (!awaitingSymbols) {
                    throw new RibltException(
                            "symbol flood: a SYMBOLS batch arrived that was not asked for (after "
                                    + symbolsReceived
                                    + " symbols)");
                }
                if (decoder == null) {
                    RecordStore.SyncSnapshot snap = store.syncSnapshot();
                    refusedBefore = snap.refused();
                    decoder =
                            new RibltDecoder(
                                    snap.digests(),
                                    m.salt(),
                                    config.maxSymbols(),
                                    config.maxDifferences());
                    salt = m.salt();
                } else if (m.salt() != salt) {
                    throw new RibltException("SYMBOLS batch changed the salt mid-session");
                }
                symbolsReceived += m.symbols().size();
                if (!decoder.add(m.symbols())) {
                    send(out, SyncMessage.of(SyncMessage.Type.MORE));
                    return;
                }
                awaitingSymbols = false;
                remoteOnly = decoder.remoteOnly().size();
                localOnly = decoder.localOnly().size();
                List<byte[]> records = new ArrayList<>();
                for (byte[] d : decoder.localOnly()) {
                    SignedRecord r = store.get(d);
                    if (r != null) {
                        records.add(r.encoded());
                    }
                }
                sendItems(out, SyncMessage.Type.RECORDS, records);
                recordsSent += records.size();
                for (byte[] d : decoder.remoteOnly()) {
                    requested.add(ByteBuffer.wrap(d));
                }
                sendItems(out, SyncMessage.Type.WANT, decoder.remoteOnly());
                send(out, SyncMessage.of(SyncMessage.Type.DONE));
            }
            case RECORDS -> {
                if (awaitingSymbols) {
                    throw new RibltException("RECORDS before the symbols decoded");
                }
                receiveRecords(m.items(), true);
            }
            case FINISH -> state = State.DONE;
            default -> throw new RibltException("unexpected " + m.type() + " for a responder");
        }
    }

    private void receiveRecords(List<byte[]> items, boolean onlyRequested) {
        if (recordsReceived + items.size() > config.maxDifferences()) {
            throw new RibltException(
                    "the peer sent more than "
                            + config.maxDifferences()
                            + " records (limit maxDifferences)");
        }
        List<SignedRecord> batch = new ArrayList<>(items.size());
        for (byte[] bytes : items) {
            SignedRecord r = SignedRecord.decode(bytes, config.maxValueBytes());
            if (refusedBefore.contains(ByteBuffer.wrap(r.digest()))) {
                // its digest was in the set this side encoded: an honest peer never sends it
                throw new RibltException(
                        "the peer sent "
                                + r
                                + " again after this node refused it (it counts as known here)",
                        true);
            }
            if (onlyRequested && !requested.remove(ByteBuffer.wrap(r.digest()))) {
                throw new RibltException("the peer sent " + r + ", which was not requested");
            }
            recordsReceived++;
            recordBytesReceived += bytes.length;
            batch.add(r);
        }
        // one group commit per message: the accepted records are on disk before the next step
        String forged = null;
        for (PutResult result : store.putAll(batch)) {
            switch (result.outcome()) {
                case ACCEPTED -> accepted++;
                case FORGED -> forged = forged == null ? result.reason() : forged;
                default -> {
                    // unauthorized here (trust lists differ per node), stale, duplicate, conflict
                    ignored++;
                    if (refusals.size() < 1000) {
                        refusals.add(result);
                    }
                }
            }
        }
        if (forged != null) {
            throw new RibltException("the peer sent a forged record: " + forged, true);
        }
    }

    private void sendBatch(List<byte[]> out, int n) {
        CodedSymbols run = new CodedSymbols(encoder.produced(), n);
        encoder.produce(n, run);
        symbolsSent += n;
        send(out, SyncMessage.symbols(run, salt));
    }

    /** Splits {@code items} over messages of at most maxMessageBytes. */
    private void sendItems(List<byte[]> out, SyncMessage.Type type, List<byte[]> items) {
        List<byte[]> chunk = new ArrayList<>();
        long size = 16;
        for (byte[] item : items) {
            long add = item.length + 8;
            if (!chunk.isEmpty() && size + add > config.maxMessageBytes()) {
                send(out, SyncMessage.items(type, chunk));
                chunk = new ArrayList<>();
                size = 16;
            }
            chunk.add(item);
            size += add;
        }
        if (!chunk.isEmpty()) {
            send(out, SyncMessage.items(type, chunk));
        }
    }

    private void send(List<byte[]> out, SyncMessage m) {
        byte[] b = SyncCodec.encode(m);
        bytesSent += b.length + Varint.encodedLength(b.length);
        out.add(b);
    }

    private void fail(List<byte[]> out, String reason) {
        failure = "session with " + peer + ": " + reason;
        state = State.FAILED;
        send(out, SyncMessage.abort(reason));
    }
}
