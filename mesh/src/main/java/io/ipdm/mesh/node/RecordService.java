package io.ipdm.mesh.node;

import io.ipdm.mesh.gossipsub.Validation;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.riblt.RecordSync;
import io.ipdm.mesh.riblt.RibltException;
import io.ipdm.mesh.riblt.SyncConfig;
import io.ipdm.mesh.riblt.SyncResult;
import io.ipdm.mesh.riblt.SyncScheduler;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's signed-record service on its mesh host: a {@link RecordStore} (persistent when opened on
 * a file), {@link RecordSync} on {@value RecordSync#PROTOCOL}, new local records pushed on the
 * gossipsub topic {@value #TOPIC} (the fast path) and anti-entropy reconciliation with peers (the
 * catch-up path) paced by a {@link SyncScheduler}: with a peer this node dialed, shortly after the
 * connection is up, and every {@code interval} with one connected peer picked at random.
 *
 * <p>Other services use it by key prefix: {@link #publish} signs nothing itself (callers sign with
 * their key) and {@link #listen} delivers every record accepted under a prefix, from any path.
 *
 * <p>Refusals: the store's {@link io.ipdm.mesh.records.RecordPolicy} says which authors may write
 * which record kinds here. A gossiped record that does not decode or whose signature does not
 * verify is rejected by the topic validator (the relaying peer's gossipsub score drops, P4); a
 * validly signed one from an author not allowed for its kind, a replay of an old version or a
 * version conflict is ignored (not stored, not forwarded, the relay not penalized: trust lists
 * differ per node); duplicates are forwarded as before. Reconciliation failures (symbol floods,
 * symbols that never decode, forged records, timeouts) end that session; a forged or undecodable
 * record, or a refused record pushed again, also goes to the {@link #onPeerMisbehaved} hooks. The
 * store remembers the records it refused and reconciles them as known, so each is offered once and
 * named once in the status ({@link RecordStatus#refusedRecords()} counts them). The latest reasons
 * are in {@link #status()}.
 */
public final class RecordService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordService.class);
    public static final String TOPIC = "/ipdm/records/1.0.0";
    private static final int REASONS_KEPT = 20;

    /**
     * How the service runs.
     *
     * @param sync limits of one reconciliation session
     * @param interval how often a random connected peer is reconciled with
     * @param onConnectDelay how long after dialing a peer the first reconciliation starts
     * @param maxBackoff longest pause after failed sessions with one peer
     */
    public record Config(
            SyncConfig sync, Duration interval, Duration onConnectDelay, Duration maxBackoff) {
        public static Config defaults() {
            return new Config(
                    SyncConfig.defaults(),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10));
        }

        public Config withInterval(Duration d) {
            return new Config(sync, d, onConnectDelay, maxBackoff);
        }
    }

    private final MeshNode mesh;
    private final RecordStore store;
    private final RecordSync sync;
    private final Config config;
    private final Clock clock;
    private final SyncScheduler scheduler;
    private final Map<PutResult.Outcome, AtomicLong> gossip =
            new EnumMap<>(PutResult.Outcome.class);
    private final AtomicLong gossipMalformed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong sessionsOk = new AtomicLong();
    private final AtomicLong sessionsFailed = new AtomicLong();
    private final AtomicLong syncReceived = new AtomicLong();
    private final AtomicLong syncAccepted = new AtomicLong();
    private final AtomicLong syncBytes = new AtomicLong();
    private final Deque<String> reasons = new ArrayDeque<>();
    private final List<BiConsumer<PeerId, String>> misbehaved = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private ScheduledFuture<?> timer;

    private RecordService(
            MeshNode mesh, RecordStore store, Config config, Clock clock, SecureRandom random) {
        this.mesh = mesh;
        this.store = store;
        this.config = config;
        this.clock = clock;
        for (PutResult.Outcome o : PutResult.Outcome.values()) {
            gossip.put(o, new AtomicLong());
        }
        this.sync = RecordSync.install(mesh.host(), store, config.sync(), clock, random);
        sync.onServedMisbehaviour((peer, why) -> penalize(PeerId.parse(peer), why));
        this.scheduler =
                new SyncScheduler(
                        config.interval().toMillis(),
                        config.onConnectDelay().toMillis(),
                        Math.min(config.maxBackoff().toMillis(), 5_000),
                        config.maxBackoff().toMillis(),
                        random,
                        clock.millis());
    }

    /** Starts the service on {@code mesh}'s host over {@code store}. */
    public static RecordService start(MeshNode mesh, RecordStore store, Config config) {
        return start(mesh, store, config, Clock.systemUTC(), new SecureRandom());
    }

    public static RecordService start(
            MeshNode mesh, RecordStore store, Config config, Clock clock, SecureRandom random) {
        RecordService s = new RecordService(mesh, store, config, clock, random);
        mesh.gossip().setValidation(TOPIC, s::validate);
        mesh.subscribe(TOPIC, (m, from) -> {});
        mesh.host()
                .addConnectionListener(
                        new ConnectionListener() {
                            @Override
                            public void onConnected(Connection c) {
                                // the dialer starts the on-connect session; one serves both sides
                                s.scheduler.connected(
                                        c.remotePeer().toString(), c.isOutbound(), s.now());
                                s.reschedule();
                            }

                            @Override
                            public void onDisconnected(Connection c) {
                                s.scheduler.disconnected(c.remotePeer().toString());
                            }
                        });
        mesh.host()
                .onLoop(
                        () -> {
                            for (Connection c : mesh.host().connections()) {
                                s.scheduler.connected(
                                        c.remotePeer().toString(), c.isOutbound(), s.now());
                            }
                            s.reschedule();
                            return null;
                        });
        return s;
    }

    private long now() {
        return clock.millis();
    }

    /**
     * Stores {@code record} (version rules applied) and, when accepted, pushes it on {@value
     * #TOPIC}. Listeners hear of it before this returns.
     */
    public PutResult publish(SignedRecord record) {
        PutResult r = store.put(record);
        if (r.accepted()) {
            published.incrementAndGet();
            mesh.publish(TOPIC, record.encoded())
                    .whenComplete(
                            (id, e) -> {
                                if (e != null) {
                                    remember("pushing " + record + " failed: " + e.getMessage());
                                }
                            });
        }
        return r;
    }

    /**
     * Calls {@code listener} with every record accepted from now on whose key starts with {@code
     * prefix} (local publishes, gossip and reconciliation alike), on the thread that stored it;
     * close the returned handle to stop. Current records are in {@link #records(String)}.
     */
    public AutoCloseable listen(String prefix, Consumer<SignedRecord> listener) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        Consumer<SignedRecord> l =
                r -> {
                    if (r.hasKeyPrefix(p)) {
                        listener.accept(r);
                    }
                };
        store.addListener(l);
        return () -> store.removeListener(l);
    }

    /** The current records whose key starts with {@code prefix}. */
    public List<SignedRecord> records(String prefix) {
        return store.withPrefix(prefix.getBytes(StandardCharsets.UTF_8));
    }

    /** Reconciles with the connected peer {@code peer} now. */
    public CompletableFuture<SyncResult> syncWith(PeerId peer) {
        // The connection table belongs to the event loop: read it there.
        return mesh.host()
                .onLoop(() -> mesh.host().connection(peer))
                .thenCompose(
                        c ->
                                c == null
                                        ? CompletableFuture.<SyncResult>failedFuture(
                                                new IllegalStateException(
                                                        "not connected to " + peer))
                                        : sync.sync(c)
                                                .whenComplete(
                                                        (r, e) -> count(peer.toString(), r, e)));
    }

    public RecordStore store() {
        return store;
    }

    /**
     * The gossip validator. A record that does not decode or whose signature does not verify is
     * rejected: no honest relay forwards one (each validates before forwarding), so the peer that
     * sent it is penalized (gossipsub P4). A validly signed record this node refuses (an author not
     * allowed for its kind here, a replay, an equivocation) is ignored: not stored, not forwarded,
     * and its sender not penalized, because trust lists differ per node and an honest relay that
     * trusts the author, or carries a replay in a race, did nothing wrong.
     */
    private Validation validate(io.ipdm.mesh.gossipsub.PubSubMessage m) {
        SignedRecord r;
        try {
            r = SignedRecord.decode(m.data(), config.sync().maxValueBytes());
        } catch (RecordException e) {
            remember("gossip from " + m.author() + ": " + e.getMessage() + "; rejected");
            gossipMalformed.incrementAndGet();
            return Validation.REJECT;
        }
        PutResult res = store.put(r);
        Validation v =
                switch (res.outcome()) {
                    case ACCEPTED, DUPLICATE -> Validation.ACCEPT;
                    case FORGED -> Validation.REJECT;
                    default -> Validation.IGNORE;
                };
        if (v != Validation.ACCEPT && !res.repeat()) {
            remember("gossip from " + m.author() + ": " + res.reason());
        }
        // counted after the reason is kept, so whoever sees the count also sees why
        gossip.get(res.outcome()).incrementAndGet();
        return v;
    }

    /**
     * Calls {@code hook} with a peer and the reason when a reconciliation with it failed because
     * the peer sent a forged or undecodable record (no honest peer does: it validates what it
     * stores), or pushed again a record this node had refused and counted as known (an honest peer
     * offers it once), in a session either side opened: the node lowers its reputation. Timeouts,
     * closed streams, and validly signed records this node does not accept (trust lists differ) are
     * not held against the peer.
     */
    public void onPeerMisbehaved(BiConsumer<PeerId, String> hook) {
        misbehaved.add(hook);
    }

    private void penalize(PeerId peer, String why) {
        for (BiConsumer<PeerId, String> h : misbehaved) {
            h.accept(peer, "records: " + why);
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = now();
        for (String peer : scheduler.due(now)) {
            PeerId id = PeerId.parse(peer);
            Connection c = mesh.host().connection(id);
            IdentifyInfo info = mesh.identify().info(id);
            if (c == null || (info != null && !info.protocols().contains(RecordSync.PROTOCOL))) {
                scheduler.finished(peer, true, now); // gone, or does not speak the protocol
                continue;
            }
            sync.sync(c)
                    .whenComplete(
                            (r, e) -> {
                                count(peer, r, e);
                                mesh.host()
                                        .onLoop(
                                                () -> {
                                                    scheduler.finished(peer, e == null, now());
                                                    reschedule();
                                                    return null;
                                                });
                            });
        }
        reschedule();
    }

    private void count(String peer, SyncResult r, Throwable e) {
        if (e != null) {
            sessionsFailed.incrementAndGet();
            Throwable c = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            remember("sync with " + peer + ": " + c.getMessage());
            if (c instanceof RibltException x && x.invalidRecord()) {
                PeerId id = PeerId.parse(peer);
                penalize(id, c.getMessage());
            }
            return;
        }
        syncReceived.addAndGet(r.stats().recordsReceived());
        syncAccepted.addAndGet(r.stats().accepted());
        syncBytes.addAndGet(r.streamBytesSent() + r.streamBytesReceived());
        sessionsOk.incrementAndGet(); // last: a reader seeing it sees the figures above
        for (PutResult p : r.refusals()) {
            if (p.repeat()) {
                continue; // named when first refused; refusedRecords counts it
            }
            remember("sync with " + peer + ": " + p.reason());
        }
    }

    // on the event loop
    private void reschedule() {
        if (closed) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(1, scheduler.nextWakeup(now()) - now());
        timer =
                mesh.host()
                        .eventLoop()
                        .schedule(this::tick, Math.min(delay, 60_000), TimeUnit.MILLISECONDS);
    }

    private synchronized void remember(String reason) {
        LOG.info("records: {}", reason);
        if (reasons.size() >= REASONS_KEPT) {
            reasons.removeFirst();
        }
        reasons.addLast(reason);
    }

    /** Counters and the latest refusal reasons (what the node's admin endpoint serves). */
    public RecordStatus status() {
        List<String> why;
        synchronized (this) {
            why = new ArrayList<>(reasons);
        }
        why.addAll(sync.recentFailures().stream().map(f -> "served session: " + f).toList());
        Map<String, Long> g = new java.util.LinkedHashMap<>();
        for (Map.Entry<PutResult.Outcome, AtomicLong> e : gossip.entrySet()) {
            g.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue().get());
        }
        g.put("malformed", gossipMalformed.get());
        return new RecordStatus(
                store.size(),
                store.file() == null ? null : store.file().toString(),
                store.recovery(),
                published.get(),
                g,
                sessionsOk.get(),
                sessionsFailed.get(),
                syncReceived.get(),
                syncAccepted.get(),
                syncBytes.get(),
                store.conflicts().size(),
                store.refusedCount(),
                why);
    }

    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
