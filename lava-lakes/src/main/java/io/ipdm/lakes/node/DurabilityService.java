package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.durability.BlockAccess;
import io.ipdm.lakes.durability.DurabilityAction;
import io.ipdm.lakes.durability.DurabilityCodec;
import io.ipdm.lakes.durability.DurabilityConfig;
import io.ipdm.lakes.durability.DurabilityEngine;
import io.ipdm.lakes.durability.DurabilityEvent;
import io.ipdm.lakes.durability.DurabilityException;
import io.ipdm.lakes.durability.DurabilityMessage;
import io.ipdm.lakes.durability.PeerFeed;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.lakes.durability.RootStatus;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.network.NetworkBlocks;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.multiformats.Cid;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the durability engine ({@link DurabilityEngine}, sans-io) in a storage node: the thin
 * adapter between it and the node's sockets, clock, scheduler and lake.
 *
 * <ul>
 *   <li>subscriptions: records under {@value #SUBSCRIPTION_PREFIX} in the node's {@link
 *       RecordService} (gossip push, reconciliation, kept across restarts) go to the engine; one
 *       the engine accepts from the admin endpoint is published there
 *   <li>messages: {@value DurabilityWire#PROTOCOL} on the mesh host ({@link DurabilityWire}),
 *       encoded with the engine's {@link DurabilityCodec} and its limits
 *   <li>peers: through {@link PeerFeed} (the path the simulator takes too): up once identify shows
 *       a connection speaks the protocol, down when it goes; the DHT's routing table is polled
 *       every {@link #ROUTING_POLL}, its changes reported and its storage nodes dialed
 *   <li>timers: on the node's single task thread, which also makes every engine call (the engine is
 *       not thread-safe and needs no locks this way)
 *   <li>reads: every block the node's read path brings from the network is offered to the engine as
 *       cache ({@code blockPassedThrough}); it drops the least recent beyond its bound
 *   <li>fetches: {@link NetworkStack#fetchDag} on a separate thread (it blocks on the network),
 *       each block checked against its CID and stored, the result handed back to the engine
 *   <li>pins, unpins and block drops go to the live {@link TieredStore} ({@link NetworkPins}): the
 *       engine never unpins a root the user pinned ({@code lake put}, {@code import-car}), and a
 *       dropped block that a pinned root still reaches is kept
 * </ul>
 *
 * Threading: every method that touches the engine runs on {@code tasks}; the public views ({@link
 * #status}, {@link #ranking}, {@link #submit}) hop onto it and wait.
 */
public final class DurabilityService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurabilityService.class);

    /**
     * Key prefix of subscription records in the node's record service ({@code ipdm net subscribe}
     * names subscriptions so): those are pushed on gossip, reconciled, and handed to the engine.
     */
    public static final String SUBSCRIPTION_PREFIX = "subscription/";

    static final Duration ROUTING_POLL = Duration.ofSeconds(2);

    static final Duration RANKING_SAVE = Duration.ofSeconds(10);

    /** Routing-table peers dialed per poll at most. */
    static final int MAX_DIALS_PER_POLL = 16;

    /** Deadline of one DAG fetch; a failed fetch is retried at the next maintenance. */
    static final Duration FETCH_TIMEOUT = Duration.ofMinutes(2);

    /** Events kept for the status endpoint. */
    static final int RECENT_EVENTS = 200;

    private final MeshNode mesh;
    private final NetworkStack network;
    private final TieredStore store;
    private final ScheduledExecutorService tasks;
    private final DurabilityCodec codec;
    private final DurabilityEngine engine;
    private final DurabilityWire wire;
    private final ExecutorService fetches;
    private final Deque<DurabilityEvent> recent = new ArrayDeque<>();
    private final Map<String, Long> eventCounts = new HashMap<>();

    /** Peers reported up to the engine, from connections and the DHT's routing table. */
    private final PeerFeed feed;

    private final Map<PeerId, List<Multiaddr>> addrs = new HashMap<>();
    private final String fault;
    private final NetworkPins pins;

    /** The ranking across restarts: saved when it changed, at most every {@link #RANKING_SAVE}. */
    private final RankingFile rankingFile;

    private boolean rankingDirty;
    private long rankingSavedAt;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    private ScheduledFuture<?> poll;
    private long fetched;
    private long fetchFailures;
    private long dropped;
    private long events;
    private volatile boolean closed;
    private RecordService records;
    private AutoCloseable recordListener;

    /** The thread of {@code tasks}: the admin endpoint's handlers run on it too. */
    private volatile Thread taskThread;

    private DurabilityService(
            MeshNode mesh,
            NetworkStack network,
            TieredStore store,
            ScheduledExecutorService tasks,
            DurabilityConfig config,
            DurabilityCodec codec,
            Path stateDir,
            String fault) {
        this.mesh = mesh;
        this.network = network;
        this.store = store;
        this.tasks = tasks;
        this.codec = codec;
        this.fault = fault;
        this.pins = new NetworkPins(store, stateDir.resolve(NetworkPins.FILE));
        this.rankingFile = new RankingFile(stateDir.resolve(RankingFile.FILE));
        this.engine =
                new DurabilityEngine(
                        mesh.peerId(),
                        config,
                        codec,
                        new LakeBlocks(store),
                        InstantSource.system(),
                        new SplittableRandom(new SecureRandom().nextLong()));
        this.feed = new PeerFeed(engine, MAX_DIALS_PER_POLL);
        this.fetches =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-durability-fetch");
                            t.setDaemon(true);
                            return t;
                        });
        this.wire =
                new DurabilityWire(
                        mesh.host(),
                        codec.maxMessageBytes(),
                        tasks,
                        new DurabilityWire.Inbound() {
                            @Override
                            public void message(PeerId from, byte[] bytes) {
                                onFrame(from, bytes);
                            }

                            @Override
                            public void refused(PeerId from, String reason) {
                                call(() -> engine.onMalformed(from, reason));
                            }
                        });
    }

    /**
     * Installs the protocol on the node's host and starts the engine on {@code tasks}.
     *
     * @param fault the fault-injection hook in force ({@link StoreFaults}), shown in the status
     */
    public static DurabilityService start(
            MeshNode mesh,
            NetworkStack network,
            NetworkBlocks reads,
            TieredStore store,
            ScheduledExecutorService tasks,
            NodeDurability settings,
            TrustList trust,
            RecordService records,
            Path stateDir,
            String fault) {
        DurabilityService s =
                new DurabilityService(
                        mesh,
                        network,
                        store,
                        tasks,
                        engineConfig(settings, trust),
                        DurabilityCodec.defaults(),
                        stateDir,
                        fault);
        // a peer is up for the engine once identify shows it speaks the protocol (a gateway-only
        // node connects too, but stores nothing), down when its connection goes
        mesh.identify()
                .addListener(
                        (conn, info) -> {
                            if (info.protocols().contains(DurabilityWire.PROTOCOL)) {
                                PeerId p = conn.remotePeer();
                                s.tasks.execute(() -> s.call(() -> s.feed.identified(p, true)));
                            }
                        });
        mesh.host()
                .addConnectionListener(
                        new ConnectionListener() {
                            @Override
                            public void onConnected(Connection c) {}

                            @Override
                            public void onDisconnected(Connection c) {
                                PeerId p = c.remotePeer();
                                s.tasks.execute(() -> s.call(() -> s.feed.disconnected(p)));
                            }
                        });
        // a block a read brought through this node may stay as cache (the engine bounds it)
        reads.onFetched(
                cid -> s.tasks.execute(() -> s.call(() -> s.engine.blockPassedThrough(cid))));
        // blocks that enter the lake (imports, puts, fetches) may complete a subscribed root
        store.onStored(
                cids -> s.tasks.execute(() -> s.call(() -> cids.forEach(s.engine::blockAdded))));
        List<Cid> pinned = store.pins();
        s.records = records;
        s.tasks.execute(
                () -> {
                    s.taskThread = Thread.currentThread();
                    RankingFile.Saved saved = s.rankingFile.load();
                    s.engine.restoreRanking(saved.ranks(), saved.savedAtMillis());
                    s.call(() -> s.engine.start(pinned));
                    // the subscriptions this node kept from before a restart
                    for (SignedRecord r : records.records(SUBSCRIPTION_PREFIX)) {
                        s.call(() -> s.engine.onSubscription(r));
                    }
                });
        // subscriptions pushed on gossip or caught up by reconciliation
        s.recordListener =
                records.listen(
                        SUBSCRIPTION_PREFIX,
                        r -> s.tasks.execute(() -> s.call(() -> s.engine.onSubscription(r))));
        s.poll =
                tasks.scheduleWithFixedDelay(
                        s::pollRoutingTable,
                        ROUTING_POLL.toMillis(),
                        ROUTING_POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
        return s;
    }

    /** The engine's settings from the node's. */
    static DurabilityConfig engineConfig(NodeDurability d, TrustList trust) {
        return DurabilityConfig.builder()
                .domain(d.domain())
                .authors(Set.copyOf(trust.peersWith(TrustList.SUBSCRIBE)))
                .maintenanceInterval(d.repairInterval())
                .challengeInterval(d.challengeInterval())
                .gcGrace(d.gcGrace())
                .build();
    }

    // ---------------------------------------------------------------- inputs (on tasks)

    private void onFrame(PeerId from, byte[] bytes) {
        DurabilityMessage m;
        try {
            m = codec.decode(bytes);
        } catch (DurabilityException e) {
            call(() -> engine.onMalformed(from, e.getMessage()));
            return;
        }
        call(() -> engine.onMessage(from, m));
    }

    /**
     * The DHT's routing table changes without events: compares it with the last poll and tells the
     * engine when its members changed. Connected peers identified as speaking the protocol before
     * the identify listener was installed are reported up here. Storage nodes in the table that are
     * not connected are dialed, so that every node sees the servers the others see (identify then
     * reports them up).
     */
    private void pollRoutingTable() {
        if (closed) {
            return;
        }
        List<RoutingEntry> table;
        try {
            table = network.routingTable();
        } catch (RuntimeException e) {
            LOG.debug("routing table: {}", e.toString());
            return;
        }
        Set<PeerId> connected = new HashSet<>();
        for (Connection c : mesh.host().connections()) {
            PeerId p = c.remotePeer();
            connected.add(p);
            // identified before this service listened (the DHT dials during the node's start)
            IdentifyInfo info = mesh.identify().info(p);
            if (!feed.isUp(p)
                    && info != null
                    && info.protocols().contains(DurabilityWire.PROTOCOL)) {
                call(() -> feed.identified(p, true));
            }
        }
        Map<PeerId, RoutingEntry> entries = new java.util.LinkedHashMap<>();
        for (RoutingEntry e : table) {
            entries.put(e.peer(), e);
            addrs.put(e.peer(), e.addrs());
        }
        List<PeerId> dial = new ArrayList<>();
        call(() -> dial.addAll(feed.routingTable(entries.keySet(), connected::contains)));
        for (PeerId p : dial) {
            dial(entries.get(p));
        }
    }

    private void dial(RoutingEntry e) {
        CompletableFuture<Connection> f =
                CompletableFuture.failedFuture(new IllegalStateException("no address"));
        for (Multiaddr a : e.addrs()) {
            Multiaddr full = a.peerId() == null ? a.withPeerId(e.peer()) : a;
            f = f.exceptionallyCompose(x -> mesh.host().dial(full));
        }
        f.whenComplete(
                (c, x) -> {
                    if (x != null) {
                        LOG.debug("durability: dialing {} failed: {}", e.peer(), x.toString());
                    }
                });
    }

    private void onTimer() {
        timerAt = Long.MAX_VALUE;
        timer = null;
        call(engine::onTimer);
    }

    // ---------------------------------------------------------------- actions

    /** Runs one engine input and carries out what it asks; on {@code tasks}. */
    private void call(Runnable input) {
        if (closed) {
            return;
        }
        try {
            input.run();
        } catch (RuntimeException e) {
            LOG.warn("durability engine: {}", e.toString(), e);
        }
        pump();
    }

    private void pump() {
        List<Cid> drops = new ArrayList<>();
        for (DurabilityAction a : engine.drainActions()) {
            switch (a) {
                case DurabilityAction.Send s -> send(s.peer(), s.message());
                case DurabilityAction.Fetch f -> fetch(f);
                case DurabilityAction.Pin p -> pins.pin(p.root());
                case DurabilityAction.Unpin u -> pins.unpin(u.root());
                case DurabilityAction.DropBlock d -> drops.add(d.cid());
                case DurabilityAction.ScheduleTimer t -> schedule(t.atMillis());
                case DurabilityAction.Report r -> report(r.event());
            }
        }
        if (!drops.isEmpty()) {
            drop(drops);
        }
        long now = System.currentTimeMillis();
        if (rankingDirty && now - rankingSavedAt >= RANKING_SAVE.toMillis()) {
            saveRanking(now);
        }
    }

    private void saveRanking(long now) {
        rankingDirty = false;
        rankingSavedAt = now;
        try {
            rankingFile.save(engine.ranking(), now);
        } catch (RuntimeException e) {
            LOG.warn("durability: {}", e.getMessage());
        }
    }

    private void send(PeerId to, DurabilityMessage m) {
        byte[] bytes;
        try {
            bytes = codec.encode(m);
        } catch (DurabilityException e) {
            LOG.warn("durability: not sending to {}: {}", to, e.getMessage());
            return;
        }
        wire.send(to, addrs.getOrDefault(to, List.of()), bytes)
                .whenComplete(
                        (v, e) -> {
                            if (e != null) {
                                LOG.debug("durability: sending to {} failed: {}", to, e.toString());
                            }
                        });
    }

    private void fetch(DurabilityAction.Fetch f) {
        CompletableFuture.runAsync(
                        () ->
                                network.fetchDag(
                                        f.root(), f.providers(), store, store::put, FETCH_TIMEOUT),
                        fetches)
                .whenCompleteAsync(
                        (v, e) -> {
                            if (e == null) {
                                fetched++;
                                call(() -> engine.onFetchResult(f.id(), true, null));
                            } else {
                                fetchFailures++;
                                Throwable c = e.getCause() != null ? e.getCause() : e;
                                call(() -> engine.onFetchResult(f.id(), false, c.getMessage()));
                            }
                        },
                        tasks);
    }

    private void schedule(long atMillis) {
        if (atMillis >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = atMillis;
        long delay = Math.max(0, atMillis - System.currentTimeMillis());
        timer = tasks.schedule(this::onTimer, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes blocks the engine no longer needs, except those a pinned root reaches: a pin made by
     * {@code lake put} or {@code import-car} is the user's, not the network's.
     */
    private void drop(List<Cid> cids) {
        Set<Cid> live = reachableFromPins();
        List<Cid> dead = cids.stream().filter(c -> !live.contains(c)).toList();
        if (!dead.isEmpty()) {
            store.discard(dead);
            dropped += dead.size();
        }
    }

    private Set<Cid> reachableFromPins() {
        Set<Cid> live = new HashSet<>();
        Deque<Cid> todo = new ArrayDeque<>(store.pins());
        while (!todo.isEmpty()) {
            Cid c = todo.pop();
            if (!live.add(c) || !Links.canLink(c)) {
                continue;
            }
            Block b = store.get(c);
            if (b != null) {
                try {
                    todo.addAll(Links.of(b));
                } catch (RuntimeException e) {
                    // a block that does not decode keeps what is under it unknown: keep it
                }
            }
        }
        return live;
    }

    private void report(DurabilityEvent e) {
        events++;
        switch (e.kind()) {
            case CHALLENGE_FAILED, PEER_LOW_RANKED, PEER_ISOLATED, CHALLENGE_FLOOD ->
                    rankingDirty = true;
            default -> {}
        }
        eventCounts.merge(e.kind().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        recent.addLast(e);
        while (recent.size() > RECENT_EVENTS) {
            recent.removeFirst();
        }
        String line =
                "durability "
                        + e.kind()
                        + (e.root() == null ? "" : " root " + e.root())
                        + (e.peer() == null ? "" : " peer " + e.peer())
                        + ": "
                        + e.message();
        switch (e.level()) {
            case ERROR -> LOG.error(line);
            case WARN -> LOG.warn(line);
            case INFO -> LOG.info(line);
        }
    }

    // ---------------------------------------------------------------- views and commands

    /**
     * Hands a signed subscription record to the engine (from the admin endpoint or the record
     * layer); returns the events it caused (accepted, or why it was refused).
     */
    public List<DurabilityEvent> submit(SignedRecord record) {
        return onTasks(
                () -> {
                    long before = events;
                    call(() -> engine.onSubscription(record));
                    int n = (int) Math.min(events - before, recent.size());
                    List<DurabilityEvent> all = new ArrayList<>(recent);
                    List<DurabilityEvent> caused =
                            List.copyOf(all.subList(all.size() - n, all.size()));
                    if (caused.stream()
                            .anyMatch(
                                    e -> e.kind() == DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED)) {
                        // the fast path to the other nodes; reconciliation catches up the rest
                        records.publish(record);
                    }
                    if (caused.stream()
                            .noneMatch(e -> e.kind().name().startsWith("SUBSCRIPTION_"))) {
                        // the engine says nothing about a record it holds already or an older
                        // version; sent by a client, that is a replay worth a line
                        eventCounts.merge("subscription_replayed", 1L, Long::sum);
                        LOG.warn(
                                "durability: subscription {} refused as a replay (this node holds"
                                        + " that version or a newer one)",
                                record);
                    }
                    return caused;
                });
    }

    public RootStatus status(Cid root) {
        return onTasks(() -> engine.status(root));
    }

    public List<PeerRank> ranking() {
        return onTasks(engine::ranking);
    }

    /** Storage peers that went down lately and what they held ({@code GET /durability}). */
    public List<RootStatus.Departed> departed() {
        return onTasks(engine::departed);
    }

    /** Counters and recent events for {@code GET /durability}. */
    public Summary summary() {
        return onTasks(
                () ->
                        new Summary(
                                fault,
                                wire.sent(),
                                wire.received(),
                                fetched,
                                fetchFailures,
                                dropped,
                                Map.copyOf(eventCounts),
                                List.copyOf(recent)));
    }

    /**
     * Registers {@code ipdm_node_durability_*} on the node's registry (docs/metrics.md): counters
     * of messages, fetches, dropped blocks and engine events by kind; gauges of held roots, roots
     * under their factor and storage peers up. Read once per scrape, on the node's task thread.
     */
    public void registerMetrics(MetricRegistry r) {
        java.util.function.Supplier<Snapshot> s = r.perScrape(() -> onTasks(this::snapshot));
        r.counter(
                "ipdm_node_durability_messages_sent_total",
                "Durability protocol messages sent.",
                wire::sent);
        r.counter(
                "ipdm_node_durability_messages_received_total",
                "Durability protocol messages received.",
                wire::received);
        r.counter(
                "ipdm_node_durability_fetches_total",
                "DAGs fetched because this node became responsible for their root.",
                () -> s.get().fetched());
        r.counter(
                "ipdm_node_durability_fetch_failures_total",
                "DAG fetches that failed (retried at the next repair).",
                () -> s.get().fetchFailures());
        r.counter(
                "ipdm_node_durability_dropped_blocks_total",
                "Blocks deleted from the lake because no subscription or cache needs them.",
                () -> s.get().dropped());
        r.family(
                "ipdm_node_durability_events_total",
                "Durability events by kind (accepted and refused subscriptions, failed challenges,"
                        + " floods, under-replication, ...).",
                MetricRegistry.Type.COUNTER,
                "kind",
                () -> s.get().events());
        r.gauge(
                "ipdm_node_durability_held_roots",
                "Subscribed roots this node holds completely.",
                () -> s.get().heldRoots());
        r.gauge(
                "ipdm_node_durability_under_replicated_roots",
                "Roots with fewer reachable servers than their factor, as seen from here.",
                () -> s.get().underReplicated());
        r.gauge(
                "ipdm_node_durability_peers",
                "Storage peers up for the durability protocol.",
                () -> s.get().peers());
    }

    private record Snapshot(
            long fetched,
            long fetchFailures,
            long dropped,
            Map<String, Long> events,
            long heldRoots,
            long underReplicated,
            long peers) {}

    private Snapshot snapshot() {
        return new Snapshot(
                fetched,
                fetchFailures,
                dropped,
                Map.copyOf(eventCounts),
                engine.heldRoots().size(),
                engine.underReplicated().size(),
                engine.livePeers());
    }

    /** What {@code GET /durability} shows besides roots and ranking. */
    public record Summary(
            String fault,
            long messagesSent,
            long messagesReceived,
            long fetched,
            long fetchFailures,
            long droppedBlocks,
            Map<String, Long> eventCounts,
            List<DurabilityEvent> recent) {}

    private <T> T onTasks(java.util.concurrent.Callable<T> c) {
        if (Thread.currentThread() == taskThread) {
            try {
                return c.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return tasks.submit(c).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the node's task thread did not answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        if (Thread.currentThread() == taskThread) {
            saveRanking(System.currentTimeMillis());
        } else if (taskThread != null && !tasks.isShutdown()) {
            // the last evidence, saved on the engine's thread
            try {
                tasks.submit(() -> saveRanking(System.currentTimeMillis()))
                        .get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("saving the ranking on close: {}", e.toString());
            }
        }
        closed = true;
        if (recordListener != null) {
            try {
                recordListener.close();
            } catch (Exception e) {
                LOG.debug("closing the record listener: {}", e.toString());
            }
        }
        if (poll != null) {
            poll.cancel(false);
        }
        if (timer != null) {
            timer.cancel(false);
        }
        fetches.shutdownNow();
    }

    /** The engine's view of the lake. */
    private record LakeBlocks(TieredStore store) implements BlockAccess {
        @Override
        public boolean has(Cid cid) {
            return store.has(cid);
        }

        @Override
        public byte[] read(Cid cid) {
            Block b = store.get(cid);
            return b == null ? null : b.data();
        }

        @Override
        public List<Cid> links(Cid cid) {
            Block b = store.get(cid);
            if (b == null) {
                return List.of();
            }
            try {
                return Links.of(b);
            } catch (RuntimeException e) {
                return List.of();
            }
        }
    }
}
