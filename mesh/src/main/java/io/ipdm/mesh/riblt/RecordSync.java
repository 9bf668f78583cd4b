package io.ipdm.mesh.riblt;

import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thin socket side of {@link ReconcileSession} on a {@link Host}: protocol {@value #PROTOCOL},
 * one yamux stream per session, each message varint-length-prefixed (limit {@code
 * maxMessageBytes}). The dialer is the initiator; the listener answers as responder. A session ends
 * with a half-close after DONE/FINISH, or after an ABORT naming the reason; a malformed frame
 * resets the stream. Failures of sessions peers opened are kept in {@link #recentFailures()}.
 */
public final class RecordSync {
    public static final String PROTOCOL = "/ipdm/records/riblt/1.0.0";
    private static final int FAILURES_KEPT = 100;

    /** Sessions peers may have open at once with this host, in all and per peer. */
    public static final int MAX_SESSIONS = 16;

    public static final int MAX_SESSIONS_PER_PEER = 2;

    private final Host host;
    private final RecordStore store;
    private final SyncConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Deque<String> failures = new ArrayDeque<>();
    // Touched on the host's event loop only.
    private final Map<String, Integer> active = new HashMap<>();
    private final List<java.util.function.BiConsumer<String, String>> misbehaviour =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private RecordSync(
            Host host, RecordStore store, SyncConfig config, Clock clock, SecureRandom random) {
        this.host = host;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    /** Serves {@value #PROTOCOL} on {@code host} from {@code store}. */
    public static RecordSync install(Host host, RecordStore store, SyncConfig config) {
        return install(host, store, config, Clock.systemUTC(), new SecureRandom());
    }

    public static RecordSync install(
            Host host, RecordStore store, SyncConfig config, Clock clock, SecureRandom random) {
        RecordSync sync = new RecordSync(host, store, config, clock, random);
        host.addProtocol(
                PROTOCOL,
                (conn, stream) -> {
                    String peer = conn.remotePeer().toString();
                    int fromPeer = sync.active.getOrDefault(peer, 0);
                    int total = sync.active.values().stream().mapToInt(Integer::intValue).sum();
                    if (fromPeer >= MAX_SESSIONS_PER_PEER || total >= MAX_SESSIONS) {
                        // Each session decodes against the whole store: bound the work peers cause.
                        sync.remember(
                                "session with "
                                        + peer
                                        + ": refused, "
                                        + (fromPeer >= MAX_SESSIONS_PER_PEER
                                                ? fromPeer
                                                        + " sessions with this peer are open (limit "
                                                        + MAX_SESSIONS_PER_PEER
                                                        + ")"
                                                : total
                                                        + " sessions are open (limit "
                                                        + MAX_SESSIONS
                                                        + ")"));
                        stream.reset();
                        return (s, data) -> {};
                    }
                    sync.active.merge(peer, 1, Integer::sum);
                    CompletableFuture<SyncResult> done = new CompletableFuture<>();
                    done.whenComplete(
                            (r, e) ->
                                    sync.active.computeIfPresent(
                                            peer, (k, v) -> v > 1 ? v - 1 : null));
                    ReconcileSession s =
                            ReconcileSession.responder(store, config, peer, clock.millis());
                    return sync.bind(s, conn, new AtomicReference<>(stream), done, new long[2]);
                });
        return sync;
    }

    public RecordStore store() {
        return store;
    }

    /** Reconciles this host's store with the peer on {@code conn}, as initiator. */
    public CompletableFuture<SyncResult> sync(Connection conn) {
        CompletableFuture<SyncResult> result = new CompletableFuture<>();
        ReconcileSession s =
                ReconcileSession.initiator(
                        store,
                        config,
                        conn.remotePeer().toString(),
                        random.nextLong(),
                        clock.millis());
        AtomicReference<YamuxStream> opened = new AtomicReference<>();
        long[] io = new long[2];
        conn.newStream(PROTOCOL, bind(s, conn, opened, result, io))
                .whenComplete(
                        (stream, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                opened.set(stream);
                                host.eventLoop()
                                        .execute(() -> write(stream, s.start(), s, result, io));
                            }
                        });
        return result;
    }

    /**
     * Calls {@code hook} with the peer and the reason when a session the peer opened failed because
     * it sent a forged or undecodable record, or one this host had refused and counted as known.
     */
    public void onServedMisbehaviour(java.util.function.BiConsumer<String, String> hook) {
        misbehaviour.add(hook);
    }

    /** Why recent sessions that peers opened failed, newest last. */
    public synchronized List<String> recentFailures() {
        return new ArrayList<>(failures);
    }

    private StreamHandler bind(
            ReconcileSession s,
            Connection conn,
            AtomicReference<YamuxStream> streamRef,
            CompletableFuture<SyncResult> result,
            long[] io) {
        LengthPrefixedReader reader =
                new LengthPrefixedReader(
                        config.maxMessageBytes(), PROTOCOL + " message from " + conn.remotePeer());
        boolean served = streamRef.get() != null;
        result.whenComplete(
                (r, e) -> {
                    if (e != null && served) {
                        remember(e.getMessage());
                        if (e instanceof RibltException x && x.invalidRecord()) {
                            for (var h : misbehaviour) {
                                h.accept(conn.remotePeer().toString(), e.getMessage());
                            }
                        }
                    }
                });
        scheduleTimer(s, streamRef, result, io);
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream stream, ByteBuf data) {
                io[1] += data.readableBytes();
                try {
                    reader.feed(
                            data,
                            m -> {
                                if (s.state() == ReconcileSession.State.RUNNING) {
                                    write(stream, s.onMessage(m, clock.millis()), s, result, io);
                                }
                            });
                } catch (FrameException e) {
                    reader.release();
                    stream.reset();
                    finish(result, "session with " + conn.remotePeer() + ": " + e.getMessage());
                }
            }

            @Override
            public void onRemoteClose(YamuxStream stream) {
                reader.release();
                if (s.state() == ReconcileSession.State.RUNNING) {
                    finish(
                            result,
                            "session with "
                                    + conn.remotePeer()
                                    + ": the peer closed the stream before the session ended");
                }
                stream.closeWrite();
            }

            @Override
            public void onReset(YamuxStream stream) {
                reader.release();
                if (s.state() == ReconcileSession.State.RUNNING) {
                    finish(
                            result,
                            "session with " + conn.remotePeer() + ": the peer reset the stream");
                }
            }
        };
    }

    private void write(
            YamuxStream stream,
            List<byte[]> out,
            ReconcileSession s,
            CompletableFuture<SyncResult> result,
            long[] io) {
        for (byte[] m : out) {
            ByteBuf frame = LengthPrefixedReader.frame(m);
            io[0] += frame.readableBytes();
            stream.write(frame);
        }
        switch (s.state()) {
            case DONE -> {
                stream.closeWrite();
                result.complete(new SyncResult(s.peer(), s.stats(), s.refusals(), io[0], io[1]));
            }
            case FAILED -> {
                stream.closeWrite();
                result.completeExceptionally(new RibltException(s.failure(), s.invalidRecord()));
            }
            case RUNNING -> {}
        }
    }

    private static void finish(CompletableFuture<SyncResult> result, String reason) {
        result.completeExceptionally(new RibltException(reason));
    }

    private synchronized void remember(String reason) {
        if (failures.size() >= FAILURES_KEPT) {
            failures.removeFirst();
        }
        failures.addLast(reason);
    }

    private void scheduleTimer(
            ReconcileSession s,
            AtomicReference<YamuxStream> stream,
            CompletableFuture<SyncResult> result,
            long[] io) {
        long delay = Math.max(1, s.nextTimerMillis() - clock.millis());
        host.eventLoop()
                .schedule(
                        () -> {
                            if (result.isDone() || s.state() != ReconcileSession.State.RUNNING) {
                                return;
                            }
                            List<byte[]> out = s.onTimer(clock.millis());
                            if (out.isEmpty()) {
                                scheduleTimer(s, stream, result, io);
                            } else if (stream.get() != null) {
                                write(stream.get(), out, s, result, io);
                            } else {
                                finish(result, s.failure());
                            }
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
    }
}
