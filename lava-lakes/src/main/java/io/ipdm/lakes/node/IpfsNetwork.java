package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.bitswap.Bitswap;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapException;
import io.ipdm.lakes.bitswap.BitswapMetrics;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.network.Provider;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadConfig;
import io.ipdm.mesh.kad.KadMetrics;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.KadPeer;
import io.ipdm.mesh.kad.KadStats;
import io.ipdm.mesh.kad.LookupResult;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.transport.Host;
import io.ipdm.multiformats.Cid;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPFS network stack of a node: the Kademlia DHT ({@code /ipfs/kad/1.0.0}, {@link KadNetwork})
 * for content routing and Bitswap ({@link BitswapNetwork}) for block exchange, on the node's mesh
 * host. A storage node runs the DHT in server mode and serves its lake over Bitswap; other nodes
 * are DHT clients and serve nothing.
 */
public final class IpfsNetwork implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(IpfsNetwork.class);
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);

    /** Wants a DAG fetch keeps in flight. */
    private static final int PARALLEL_WANTS = 32;

    /** How long a DAG fetch waits on a block from the peers it has before a provider lookup. */
    static final Duration STALL_AFTER = Duration.ofSeconds(1);

    /** Provider lookups one DAG fetch makes at most (the root and stalled blocks). */
    static final int MAX_LOOKUPS_PER_FETCH = 8;

    /** Providers one lookup asks for. */
    static final int MAX_PROVIDERS = 20;

    /** Providers one DAG fetch dials at most. */
    static final int MAX_DIALS_PER_FETCH = 16;

    /** Deadline of one provider lookup (within the fetch's own). */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final KadNetwork kad;
    private final BitswapNetwork bitswap;
    private final Routing routing = new Routing();
    private final FetchStats stats = new FetchStats();
    private final Exchange exchange = new Exchange();

    private IpfsNetwork(Host host, KadNetwork kad, BitswapNetwork bitswap) {
        this.host = host;
        this.kad = kad;
        this.bitswap = bitswap;
    }

    /** See {@link NetworkStack.Factory#install}. */
    public static NetworkStack install(
            MeshNode mesh, TieredStore local, boolean server, List<Multiaddr> bootstrap) {
        KadConfig kc =
                KadConfig.defaults().toBuilder()
                        .mode(server ? KadConfig.Mode.SERVER : KadConfig.Mode.CLIENT)
                        .build();
        KadNetwork kad = KadNetwork.install(mesh.host(), mesh.identify(), kc);
        BitswapNetwork bitswap;
        try {
            bitswap =
                    BitswapNetwork.start(
                            mesh.host(),
                            server ? BlockStore.of(local) : NOTHING,
                            BitswapConfig.defaults(),
                            Clock.systemUTC());
        } catch (RuntimeException e) {
            kad.close();
            throw e;
        }
        if (server) {
            // blocks that enter the lake later (puts, imports, network reads) reach waiting peers
            local.onStored(bitswap::blocksAdded);
        }
        if (!bootstrap.isEmpty()) {
            kad.bootstrap(bootstrap)
                    .whenComplete(
                            (r, e) -> {
                                if (e != null) {
                                    LOG.warn("DHT bootstrap failed: {}", e.toString());
                                } else {
                                    LOG.info(
                                            "DHT bootstrap: {} peers asked, {} closest",
                                            r.queried(),
                                            r.closest().size());
                                }
                            });
        }
        return new IpfsNetwork(mesh.host(), kad, bitswap);
    }

    private static final BlockStore NOTHING =
            new BlockStore() {
                @Override
                public Block get(Cid cid) {
                    return null;
                }

                @Override
                public boolean has(Cid cid) {
                    return false;
                }
            };

    @Override
    public ContentRouting routing() {
        return routing;
    }

    @Override
    public BlockExchange exchange() {
        return exchange;
    }

    @Override
    public KadNetwork dht() {
        return kad;
    }

    @Override
    public List<RoutingEntry> routingTable() {
        return kad.routingTable();
    }

    @Override
    public BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout) {
        return fetchDag(root, peers, local, sink, timeout, routing);
    }

    @Override
    public BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout,
            ContentRouting providers) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<PeerId, List<Multiaddr>> known = new HashMap<>();
        for (RoutingEntry e : kad.routingTable()) {
            known.put(e.peer(), e.addrs());
        }
        List<CompletableFuture<Boolean>> dials = new ArrayList<>();
        Set<PeerId> connected = connectedPeers();
        for (PeerId p : peers) {
            if (!p.equals(host.peerId()) && !connected.contains(p) && known.containsKey(p)) {
                dials.add(exchange.dial(new Provider(p, known.get(p))));
            }
        }
        try {
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                    .get(Math.min(DIAL_TIMEOUT.toNanos(), timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // fetch from whoever is connected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitswapException("interrupted while dialing the holders of " + root, e);
        }
        // the fetch gets what the dials left of the deadline
        Duration left =
                dials.isEmpty()
                        ? timeout
                        : Duration.ofMillis(
                                Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try (BitswapSession s = bitswap.session(peers)) {
            DagSearch search = new DagSearch(root, s, providers, deadline);
            Set<PeerId> now = connectedPeers();
            if (peers.isEmpty() ? now.isEmpty() : peers.stream().noneMatch(now::contains)) {
                search.stalled(root); // nobody to ask: no point waiting for a miss first
            }
            try {
                BitswapSession.DagResult r =
                        s.fetchDag(
                                root,
                                local,
                                sink,
                                PARALLEL_WANTS,
                                left,
                                STALL_AFTER,
                                search::stalled);
                search.done = true;
                if (search.lookups.get() > 0) {
                    LOG.info("fetched {}: {}", root, search.summary());
                }
                return r;
            } catch (BitswapException e) {
                search.done = true;
                throw new BitswapException(
                        "cannot fetch the DAG under "
                                + root
                                + ": "
                                + e.getMessage()
                                + "; "
                                + search.summary()
                                + ". A holder must be online and reachable from here: check that"
                                + " one announces the root (ipdm node status on it), that this"
                                + " node's DHT routing table is not empty, or bootstrap from a"
                                + " peer near the holders",
                        e);
            }
        }
    }

    private Set<PeerId> connectedPeers() {
        Set<PeerId> connected = new HashSet<>();
        host.connections().forEach(c -> connected.add(c.remotePeer()));
        return connected;
    }

    /**
     * The routing side of one DAG fetch: a block that stalls (the root included) is looked up (the
     * DHT's GET_PROVIDERS, or whatever routing the stack wrapping this one passed), at most {@link
     * #MAX_LOOKUPS_PER_FETCH} times a fetch; the providers found join the Bitswap session and those
     * not connected are dialed, at most {@link #MAX_DIALS_PER_FETCH} a fetch. Callbacks arrive on
     * the mesh event loop and never block.
     */
    private final class DagSearch {
        final Cid root;
        final BitswapSession session;
        final ContentRouting routing;
        final long deadline;
        final Set<PeerId> seen = ConcurrentHashMap.newKeySet();
        final Set<Cid> lookedUp = ConcurrentHashMap.newKeySet();
        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger found = new AtomicInteger();
        final AtomicInteger noAddress = new AtomicInteger();
        final AtomicInteger dials = new AtomicInteger();
        final AtomicInteger dialFailures = new AtomicInteger();
        volatile boolean done;

        DagSearch(Cid root, BitswapSession session, ContentRouting routing, long deadline) {
            this.root = root;
            this.session = session;
            this.routing = routing;
            this.deadline = deadline;
        }

        /** A block of the DAG is late (or nobody can be asked): look for its providers. */
        void stalled(Cid cid) {
            long left = deadline - System.nanoTime();
            if (done || left <= 0 || !lookedUp.add(cid)) {
                return;
            }
            if (lookups.incrementAndGet() > MAX_LOOKUPS_PER_FETCH) {
                lookups.decrementAndGet();
                skipped.incrementAndGet();
                return;
            }
            stats.lookups.incrementAndGet();
            Duration t = Duration.ofNanos(Math.min(LOOKUP_TIMEOUT.toNanos(), left));
            // findProviders blocks (a DHT lookup, or a delegated router's HTTP call): off the
            // fetching thread, which keeps asking the peers it has meanwhile
            Thread.ofVirtual()
                    .name("provider-lookup")
                    .start(
                            () -> {
                                try {
                                    found(cid, routing.findProviders(cid, MAX_PROVIDERS, t));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                } catch (RuntimeException e) {
                                    LOG.info(
                                            "provider lookup for {} failed: {}", cid, e.toString());
                                }
                            });
        }

        private void found(Cid cid, ContentRouting.Lookup l) {
            List<Provider> fresh = new ArrayList<>();
            for (Provider p : l.providers()) {
                if (seen.add(p.peer())) {
                    fresh.add(p);
                }
            }
            found.addAndGet(fresh.size());
            stats.providersFound.addAndGet(fresh.size());
            LOG.info(
                    "fetching {}: the DHT lookup for {} found {} new provider(s) after asking {}"
                            + " peers",
                    root,
                    cid,
                    fresh.size(),
                    l.peersQueried());
            if (done || fresh.isEmpty()) {
                return;
            }
            session.addProviders(fresh.stream().map(Provider::peer).toList());
            Set<PeerId> connected = connectedPeers();
            for (Provider p : fresh) {
                if (connected.contains(p.peer())) {
                    continue;
                }
                if (p.addresses().isEmpty()) {
                    noAddress.incrementAndGet();
                    continue;
                }
                if (dials.incrementAndGet() > MAX_DIALS_PER_FETCH) {
                    dials.decrementAndGet();
                    continue;
                }
                stats.dials.incrementAndGet();
                exchange.dial(p)
                        .thenAccept(
                                ok -> {
                                    if (!ok) {
                                        dialFailures.incrementAndGet();
                                        stats.dialFailures.incrementAndGet();
                                        LOG.info(
                                                "fetching {}: provider {} could not be dialed at {}",
                                                root,
                                                p.peer(),
                                                p.addresses());
                                    }
                                });
            }
        }

        String summary() {
            return lookups.get()
                    + " DHT provider lookup(s)"
                    + (skipped.get() > 0
                            ? " ("
                                    + skipped.get()
                                    + " more skipped, limit "
                                    + MAX_LOOKUPS_PER_FETCH
                                    + ")"
                            : "")
                    + " found "
                    + found.get()
                    + " provider(s)"
                    + (noAddress.get() > 0 ? " (" + noAddress.get() + " without an address)" : "")
                    + ", "
                    + dials.get()
                    + " dialed ("
                    + dialFailures.get()
                    + " failed)";
        }
    }

    /** Node-wide totals of the DHT side of DAG fetches (repairs, gateway CARs), for the metrics. */
    private static final class FetchStats {
        final AtomicLong lookups = new AtomicLong();
        final AtomicLong providersFound = new AtomicLong();
        final AtomicLong dials = new AtomicLong();
        final AtomicLong dialFailures = new AtomicLong();
        final AtomicLong addressLookups = new AtomicLong();
    }

    @Override
    public void registerMetrics(MetricRegistry registry) {
        KadMetrics.register(registry, kad::stats);
        BitswapMetrics.register(registry, bitswap);
        registry.counter(
                "ipdm_node_dag_fetch_lookups_total",
                "DHT provider lookups DAG fetches (repairs, gateway CARs) made for a root or a stalled block.",
                stats.lookups::get);
        registry.counter(
                "ipdm_node_dag_fetch_providers_found_total",
                "Providers those lookups found (each counted once per fetch).",
                stats.providersFound::get);
        registry.counter(
                "ipdm_node_dag_fetch_dials_total",
                "Providers found by those lookups that were dialed.",
                stats.dials::get);
        registry.counter(
                "ipdm_node_dag_fetch_dials_failed_total",
                "Dials of found providers that reached none of their addresses.",
                stats.dialFailures::get);
        registry.counter(
                "ipdm_node_provider_address_lookups_total",
                "FIND_NODE lookups for providers whose record carried no address.",
                stats.addressLookups::get);
    }

    @Override
    public void close() {
        try {
            bitswap.close();
        } finally {
            kad.close();
        }
    }

    private static Provider provider(KadPeer p) {
        return new Provider(p.id(), p.addrs());
    }

    private final class Routing implements ContentRouting {
        @Override
        public Lookup findProviders(Cid cid, int max, Duration timeout)
                throws InterruptedException {
            return findProviders(cid, max, timeout, null);
        }

        /**
         * Providers are handed to {@code found} as the DHT finds them when their record carries
         * addresses, else when their address lookup ends.
         */
        @Override
        public Lookup findProviders(Cid cid, int max, Duration timeout, Consumer<Provider> found)
                throws InterruptedException {
            CompletableFuture<Lookup> f = lookup(cid, max, timeout, found);
            try {
                // the address lookups run within timeout too; the grace covers the hand-offs
                return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                f.cancel(true);
                LOG.info("provider lookup for {} failed: {}", cid, e.toString());
                return new Lookup(List.of(), 0);
            }
        }

        /**
         * GET_PROVIDERS for {@code cid}, then the addresses of providers whose record had none and
         * that are neither connected nor in the routing table, by FIND_NODE: the one place the node
         * finds who holds a block (reads, DAG fetches).
         */
        CompletableFuture<Lookup> lookup(Cid cid, int max, Duration timeout) {
            return lookup(cid, max, timeout, null);
        }

        private CompletableFuture<Lookup> lookup(
                Cid cid, int max, Duration timeout, Consumer<Provider> found) {
            long end = System.nanoTime() + timeout.toNanos();
            Set<PeerId> told = ConcurrentHashMap.newKeySet();
            Consumer<Provider> tell =
                    found == null
                            ? null
                            : p -> {
                                if (told.add(p.peer())) {
                                    found.accept(p);
                                }
                            };
            // on the DHT's event loop: only what needs no blocking call (an address lookup)
            Consumer<KadPeer> early =
                    tell == null
                            ? null
                            : p -> {
                                if (!p.addrs().isEmpty() && !p.id().equals(host.peerId())) {
                                    tell.accept(provider(p));
                                }
                            };
            return kad.findProviders(cid.multihash().toBytes(), max, timeout, early)
                    .thenCompose(r -> withAddresses(r, end, tell));
        }

        private CompletableFuture<Lookup> withAddresses(
                LookupResult r, long end, Consumer<Provider> tell) {
            Set<PeerId> connected = connectedPeers();
            Map<PeerId, List<Multiaddr>> table = new HashMap<>();
            for (RoutingEntry e : kad.routingTable()) {
                table.put(e.peer(), e.addrs());
            }
            List<CompletableFuture<Provider>> out = new ArrayList<>();
            for (KadPeer p : r.providers()) {
                long left = end - System.nanoTime();
                if (p.id().equals(host.peerId())) {
                    continue;
                } else if (!p.addrs().isEmpty() || connected.contains(p.id())) {
                    out.add(CompletableFuture.completedFuture(provider(p)));
                } else if (table.containsKey(p.id())) {
                    out.add(
                            CompletableFuture.completedFuture(
                                    new Provider(p.id(), table.get(p.id()))));
                } else if (left <= 0) {
                    out.add(CompletableFuture.completedFuture(provider(p)));
                } else {
                    stats.addressLookups.incrementAndGet();
                    out.add(
                            kad.findPeer(p.id(), Duration.ofNanos(left))
                                    .handle(
                                            (f, e) ->
                                                    e == null && f.peer() != null
                                                            ? new Provider(p.id(), f.peer().addrs())
                                                            : provider(p)));
                }
            }
            if (tell != null) {
                out.forEach(f -> f.thenAccept(tell));
            }
            return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new))
                    .thenApply(
                            v ->
                                    new Lookup(
                                            out.stream().map(CompletableFuture::join).toList(),
                                            r.queried()));
        }

        @Override
        public void stopProviding(Cid cid) {
            kad.stopProviding(cid.multihash().toBytes());
            LOG.info("no longer announcing {}", cid);
        }

        @Override
        public void provide(Cid cid) {
            kad.provide(cid.multihash().toBytes())
                    .whenComplete(
                            (r, e) -> {
                                if (e != null) {
                                    LOG.warn("announcing {} failed: {}", cid, e.toString());
                                } else {
                                    LOG.info(
                                            "announced {} to {} peers ({} asked)",
                                            cid,
                                            r.sentTo().size(),
                                            r.queried());
                                }
                            });
        }

        @Override
        public Status status() {
            KadStats s = kad.stats();
            TreeMap<Integer, Integer> buckets = new TreeMap<>();
            for (RoutingEntry e : kad.routingTable()) {
                buckets.merge(e.bucket(), 1, Integer::sum);
            }
            return new Status(
                    s.routingTableSize(), List.copyOf(buckets.values()), s.providerRecords());
        }
    }

    /** How long a read session of {@link Exchange#fetch} outlives its last want. */
    static final Duration READ_SESSION_IDLE = Duration.ofSeconds(30);

    /** Read sessions (one per provider set) kept open at most. */
    static final int MAX_READ_SESSIONS = 16;

    /** A Bitswap session shared by the block reads asking one provider set. */
    private static final class ReadSession {
        final BitswapSession session;
        int inFlight;
        long idleSince;

        ReadSession(BitswapSession session) {
            this.session = session;
        }
    }

    private final class Exchange implements BlockExchange {
        /** Open read sessions by provider set, least recently used first; guarded by itself. */
        private final Map<Set<PeerId>, ReadSession> readSessions =
                new java.util.LinkedHashMap<>(16, 0.75f, true);

        private boolean sweepScheduled;

        /** The last failed dial per peer (bounded: cleared when it grows past 256 peers). */
        private final Map<PeerId, String> dialFailures = new ConcurrentHashMap<>();

        @Override
        public String dialFailure(PeerId peer) {
            return dialFailures.get(peer);
        }

        @Override
        public CompletableFuture<Block> fetch(Cid cid, Collection<Provider> providers) {
            List<CompletableFuture<?>> dials = new ArrayList<>();
            List<PeerId> peers = new ArrayList<>();
            for (Provider p : providers) {
                if (p.peer().equals(host.peerId())) {
                    continue;
                }
                peers.add(p.peer());
                if (!p.addresses().isEmpty()) {
                    dials.add(dial(p));
                }
            }
            CompletableFuture<Block> result = new CompletableFuture<>();
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                    .orTimeout(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete(
                            (v, e) -> {
                                if (result.isDone()) {
                                    return;
                                }
                                ReadSession rs = acquire(Set.copyOf(peers));
                                CompletableFuture<Block> want = rs.session.want(cid);
                                result.whenComplete(
                                        (b, x) -> {
                                            if (x != null) {
                                                want.cancel(true); // withdraws just this want
                                            }
                                            release(rs);
                                        });
                                want.thenAccept(result::complete);
                            });
            return result;
        }

        /**
         * The read session for {@code peers}, opened when there is none: later blocks of a DAG go
         * as want-blocks straight to the peers that sent the earlier ones (the session's good
         * peers) instead of each costing a want-have round trip to every provider first.
         */
        private ReadSession acquire(Set<PeerId> peers) {
            ReadSession rs = take(peers, null);
            if (rs == null) {
                // opened outside the lock: the engine thread completes reads, and takes the lock
                rs = take(peers, new ReadSession(bitswap.session(peers)));
            }
            return rs;
        }

        /**
         * Counts a read on the session for {@code peers}; when there is none, on {@code opened}
         * (kept from now on), or null when {@code opened} is null. Closes the sessions idle too
         * long and, past {@link #MAX_READ_SESSIONS}, the least recently used idle ones.
         */
        private ReadSession take(Set<PeerId> peers, ReadSession opened) {
            List<BitswapSession> closing = new ArrayList<>();
            ReadSession rs;
            synchronized (readSessions) {
                expire(closing);
                rs = readSessions.get(peers);
                if (rs == null && opened != null) {
                    rs = opened;
                    readSessions.put(peers, rs);
                    var it = readSessions.values().iterator();
                    while (readSessions.size() > MAX_READ_SESSIONS && it.hasNext()) {
                        ReadSession r = it.next();
                        if (r != rs && r.inFlight == 0) {
                            closing.add(r.session);
                            it.remove();
                        }
                    }
                } else if (opened != null) {
                    closing.add(opened.session); // another read opened one meanwhile
                }
                if (rs != null) {
                    rs.inFlight++;
                }
            }
            closing.forEach(BitswapSession::close);
            return rs;
        }

        /** Moves the sessions idle for {@link #READ_SESSION_IDLE} to {@code closing}. */
        private void expire(List<BitswapSession> closing) {
            long now = System.nanoTime();
            var it = readSessions.values().iterator();
            while (it.hasNext()) {
                ReadSession r = it.next();
                if (r.inFlight == 0 && now - r.idleSince >= READ_SESSION_IDLE.toNanos()) {
                    closing.add(r.session);
                    it.remove();
                }
            }
        }

        private void release(ReadSession rs) {
            synchronized (readSessions) {
                if (--rs.inFlight == 0) {
                    rs.idleSince = System.nanoTime();
                    if (!sweepScheduled) {
                        scheduleSweep();
                    }
                }
            }
        }

        /** Closes the read sessions idle for {@link #READ_SESSION_IDLE}; runs while any is open. */
        private void sweep() {
            List<BitswapSession> closing = new ArrayList<>();
            synchronized (readSessions) {
                sweepScheduled = false;
                expire(closing);
                if (!readSessions.isEmpty()) {
                    scheduleSweep();
                }
            }
            closing.forEach(BitswapSession::close);
        }

        private void scheduleSweep() {
            sweepScheduled = true;
            CompletableFuture.delayedExecutor(
                            READ_SESSION_IDLE.toMillis() + 100, TimeUnit.MILLISECONDS)
                    .execute(this::sweep);
        }

        /**
         * Dials the provider's addresses in turn until one connects; never fails, but a dial that
         * reached none of them is kept for {@link #dialFailure}.
         */
        private CompletableFuture<Boolean> dial(Provider p) {
            CompletableFuture<Boolean> connected = CompletableFuture.completedFuture(false);
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (Multiaddr a : p.addresses()) {
                Multiaddr full = a.peerId() == null ? a.withPeerId(p.peer()) : a;
                connected =
                        connected.thenCompose(
                                ok ->
                                        ok
                                                ? CompletableFuture.completedFuture(true)
                                                : host.dial(full)
                                                        .handle(
                                                                (c, e) -> {
                                                                    if (e != null) {
                                                                        errors.add(
                                                                                full.withoutPeerId()
                                                                                        + ": "
                                                                                        + reason(
                                                                                                e));
                                                                    }
                                                                    return e == null;
                                                                }));
            }
            return connected.whenComplete(
                    (ok, e) -> {
                        if (Boolean.TRUE.equals(ok)) {
                            dialFailures.remove(p.peer());
                        } else if (!errors.isEmpty()) {
                            if (dialFailures.size() >= 256) {
                                dialFailures.clear();
                            }
                            dialFailures.put(p.peer(), String.join("; ", errors));
                        }
                    });
        }

        private static String reason(Throwable e) {
            Throwable t =
                    e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e;
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }

        @Override
        public long pendingWants() {
            return bitswap.call(Bitswap::wantlist).join().size();
        }
    }
}
