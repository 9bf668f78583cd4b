package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The Kademlia DHT of the libp2p kad-dht spec ({@code /ipfs/kad/1.0.0}) as a state machine without
 * sockets: k-buckets over {@code sha256} keys, iterative lookups with {@code alpha} requests in
 * flight (FIND_NODE, GET_PROVIDERS), a provider store with expiry, republishing of the keys we
 * provide, and a guard that rate-limits and penalizes misbehaving peers.
 *
 * <p>Inputs: connection and identify events ({@link #peerConnected}, {@link #peerIdentified}),
 * inbound requests ({@link #onRequest}), responses and failures of our requests ({@link
 * #onResponse}, {@link #onRequestFailed}), undecodable input ({@link #onMalformed}) and {@link
 * #tick()} for timers. Outputs: {@link #drainActions()} (requests to send, peers to disconnect) and
 * the futures of the operations ({@link #findProviders}, {@link #provide}, {@link #findPeer},
 * {@link #closestPeers}, {@link #bootstrap}). Time comes from the injected {@link InstantSource}
 * and randomness (refresh targets) from the injected {@link RandomGenerator}, so a whole network
 * runs at virtual time in one process ({@code KademliaSimulationTest}); {@link KadNetwork} is the
 * adapter onto a real {@link io.ipdm.mesh.transport.Host}.
 *
 * <p>Routing table: only peers known to serve the protocol are inserted (identify lists it, or they
 * answered one of our requests), as the spec requires of server-mode peers. A full bucket sends its
 * least recently seen contact a FIND_NODE when that contact has not been heard from for {@link
 * KadConfig#staleAfter()}; a contact that fails {@link KadConfig#maxFailures()} requests in a row
 * is dropped and the newest waiting replacement takes its place. Connections to contacts are kept
 * at a low-water mark ({@link KadConfig#minConnections}): below it after a disconnect, the closest
 * unconnected contacts are asked a FIND_NODE, which redials them (and drops the dead).
 *
 * <p>Inbound ADD_PROVIDER records are accepted only for providers equal to the sender and with at
 * least one address (the spec; js-libp2p does the same); other records are dropped and the sender
 * penalized. PUT_VALUE / GET_VALUE serve /pk and /ipns records, validated before they are stored
 * ({@link ValueRecords}); other namespaces are refused. {@link #putValue} publishes our own (to the
 * k closest peers) and {@link #getValue} looks one up (an iterative GET_VALUE keeping the best
 * valid record; a peer that answers with an invalid one is penalized).
 *
 * <p>Threading: not thread-safe; one thread (the host's event loop) makes every call, and futures
 * complete on it.
 */
public final class Kademlia {
    static final double MALFORMED_POINTS = 25;
    static final double BOGUS_PROVIDER_POINTS = 20;
    static final double WRONG_RESPONSE_POINTS = 10;
    static final double FLOOD_POINTS = 1;
    static final double BOGUS_RECORD_POINTS = 20;
    static final int MAX_VALUE_RECORD_BYTES = 16 * 1024;

    final PeerId self;
    private final KadKey selfKey;
    final KadConfig cfg;
    private final InstantSource clock;
    private final RandomGenerator random;
    final RoutingTable table;
    final ProviderStore store;
    final ValueRecords values;
    final PeerGuard guard;
    final List<KadAction> actions = new ArrayList<>();
    private final KadServer server;
    private final ProviderAnnouncer announcer;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<Lookup> lookups = new LinkedHashSet<>(); // ordered: runs replay
    final Set<PeerId> connected = new HashSet<>();
    private final Set<PeerId> probing = new HashSet<>();
    List<Multiaddr> localAddrs = List.of();
    long nextId = 1;
    private long nextCleanup;
    private long nextRefresh;

    /** When the connection upkeep ({@link #keepConnected}) runs next; MAX_VALUE while idle. */
    private long nextUpkeep = Long.MAX_VALUE;

    private long upkeepRequests;
    long requestsIn;
    long requestsRefused;
    long requestsOut;
    private long requestsFailed;
    private long penalties;

    /**
     * A request in flight: for a lookup, or with {@code reply} for a single exchange (PUT_VALUE).
     */
    private record Pending(
            long id,
            PeerId peer,
            KadMessage.Type type,
            long deadline,
            Lookup lookup,
            CompletableFuture<KadMessage> reply) {}

    public Kademlia(PeerId self, KadConfig cfg, InstantSource clock, RandomGenerator random) {
        this.self = self;
        this.selfKey = KadKey.of(self);
        this.cfg = cfg;
        this.clock = clock;
        this.random = random;
        this.table = new RoutingTable(selfKey, cfg.k());
        this.store = new ProviderStore(cfg.maxProviderKeys(), cfg.maxProvidersPerKey());
        this.values =
                new ValueRecords(
                        cfg.maxProviderKeys(),
                        MAX_VALUE_RECORD_BYTES,
                        cfg.providerTtl().toMillis());
        this.guard =
                new PeerGuard(
                        cfg.inboundRequestsPerSecond(),
                        cfg.inboundBurst(),
                        cfg.banScore(),
                        cfg.banDuration().toMillis());
        long now = clock.millis();
        this.nextCleanup = now + cfg.cleanupInterval().toMillis();
        this.nextRefresh = now + cfg.refreshInterval().toMillis();
        this.server = new KadServer(this);
        this.announcer = new ProviderAnnouncer(this);
    }

    public PeerId self() {
        return self;
    }

    public KadConfig config() {
        return cfg;
    }

    /** The addresses put in our own provider records and FIND_NODE answers about ourselves. */
    public void setLocalAddresses(List<Multiaddr> addrs) {
        this.localAddrs = List.copyOf(addrs);
    }

    long now() {
        return clock.millis();
    }

    // ---------------------------------------------------------------- events

    public void peerConnected(PeerId peer) {
        connected.add(peer);
        if (guard.isBanned(peer, now())) {
            actions.add(new KadAction.Disconnect(peer, "banned by the DHT for misbehaving"));
        }
    }

    public void peerDisconnected(PeerId peer) {
        if (connected.remove(peer) && nextUpkeep == Long.MAX_VALUE && cfg.minConnections() > 0) {
            // the upkeep checks the low-water mark after a pause, not on every disconnect
            nextUpkeep = now() + cfg.bootstrapRetry().toMillis();
        }
    }

    /**
     * Identify told us what {@code peer} speaks: one that lists the protocol is a DHT server and
     * joins the routing table; one that does not (a client) leaves it.
     */
    public void peerIdentified(PeerId peer, List<String> protocols, List<Multiaddr> listenAddrs) {
        if (peer.equals(self)) {
            return;
        }
        KadKey key = KadKey.of(peer);
        if (protocols.contains(cfg.protocol())) {
            if (!guard.isBanned(peer, now())) {
                offerContact(peer, key, capAddrs(listenAddrs));
            }
        } else {
            table.remove(peer, key);
        }
    }

    /** Bytes from {@code peer} did not decode (or broke a size limit): penalizes it. */
    public void onMalformed(PeerId peer, String reason) {
        penalize(peer, MALFORMED_POINTS, "malformed message: " + reason);
    }

    /** Answers an inbound request from {@code from}. */
    public InboundResult onRequest(PeerId from, KadMessage req) {
        return server.answer(from, req);
    }

    /** The response to request {@code id} arrived. */
    public void onResponse(long id, KadMessage resp) {
        Pending p = pending.remove(id);
        if (p == null) {
            return; // timed out already
        }
        if (resp.type() != p.type) {
            penalize(
                    p.peer,
                    WRONG_RESPONSE_POINTS,
                    "answered a " + p.type + " request with " + resp.type());
            failed(p, "response of type " + resp.type() + " to a " + p.type + " request");
            return;
        }
        probing.remove(p.peer);
        if (!guard.isBanned(p.peer, now())) {
            // It answered a kad request: a server, alive now.
            offerContact(p.peer, KadKey.of(p.peer), List.of());
        }
        if (p.reply != null) {
            p.reply.complete(resp);
            return;
        }
        Lookup l = p.lookup;
        if (l == null || l.done) {
            return;
        }
        l.succeeded(p.peer);
        int hop = l.hopOf(p.peer);
        for (KadPeer c : resp.closerPeers()) {
            if (c.id().equals(self)) {
                continue;
            }
            if (l.wantedPeer != null && c.id().equals(l.wantedPeer) && !c.addrs().isEmpty()) {
                l.found = KadPeer.of(c.id(), capAddrs(c.addrs()));
            }
            l.addCandidate(c.id(), capAddrs(c.addrs()), hop + 1);
        }
        if (l.kind == KadMessage.Type.GET_PROVIDERS) {
            for (KadPeer pr : resp.providerPeers()) {
                l.addProvider(KadPeer.of(pr.id(), capAddrs(pr.addrs())), hop);
            }
        }
        if (l.kind == KadMessage.Type.GET_VALUE && resp.record() != null) {
            try {
                if (l.values.put(l.key, resp.record(), now())) {
                    l.valueFrom = p.peer;
                }
            } catch (ValueRecords.InvalidRecord e) {
                if (e.misbehaviour) {
                    penalize(p.peer, BOGUS_RECORD_POINTS, "GET_VALUE answer: " + e.getMessage());
                }
            }
        }
        step(l);
    }

    /** Request {@code id} failed (no connection, reset, timeout, undecodable response). */
    public void onRequestFailed(long id, String reason) {
        Pending p = pending.remove(id);
        if (p != null) {
            failed(p, reason);
        }
    }

    private void failed(Pending p, String reason) {
        requestsFailed++;
        if (p.reply != null) {
            p.reply.completeExceptionally(new KadException(p.peer + ": " + reason));
        }
        KadKey key = KadKey.of(p.peer);
        RoutingTable.Contact c = table.get(p.peer, key);
        if (probing.remove(p.peer)) {
            table.remove(p.peer, key); // a stale contact that did not answer: make room
        } else if (c != null && ++c.failures >= cfg.maxFailures()) {
            table.remove(p.peer, key);
        }
        Lookup l = p.lookup;
        if (l != null && !l.done) {
            l.failed(p.peer);
            step(l);
        }
    }

    /** Runs timers: request and lookup deadlines, record expiry, republishing, table refresh. */
    public void tick() {
        long now = now();
        List<Pending> expired = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.deadline <= now) {
                expired.add(p);
            }
        }
        for (Pending p : expired) {
            onRequestFailed(p.id, "no response within " + cfg.requestTimeout());
        }
        for (Lookup l : List.copyOf(lookups)) {
            if (!l.done && l.deadline <= now) {
                finish(l, true);
            }
        }
        if (now >= nextCleanup) {
            store.expire(now);
            values.expire(now);
            guard.prune(now);
            nextCleanup = now + cfg.cleanupInterval().toMillis();
        }
        announcer.republish(now);
        if (now >= nextUpkeep) {
            keepConnected(now);
        }
        if (now >= nextRefresh) {
            nextRefresh = now + cfg.refreshInterval().toMillis();
            if (table.size() > 0) {
                refresh();
            }
        }
    }

    /**
     * The earliest time at which {@link #tick()} has something to do (a request or lookup deadline,
     * record cleanup, a republish, the table refresh), so that a driver with many engines at
     * virtual time (the durability simulator) ticks each only when due instead of every second.
     */
    public long nextTickAt() {
        long at = Math.min(Math.min(nextCleanup, nextRefresh), nextUpkeep);
        at = Math.min(at, announcer.republishDue());
        for (Pending p : pending.values()) {
            at = Math.min(at, p.deadline);
        }
        for (Lookup l : lookups) {
            if (!l.done) {
                at = Math.min(at, l.deadline);
            }
        }
        return at;
    }

    /**
     * A counter bumped whenever a contact joins or leaves the routing table (refreshing a known
     * contact does not count): a poller compares it instead of the whole table.
     */
    public long routingVersion() {
        return table.version();
    }

    /** Requests to send and peers to disconnect since the last call. */
    public List<KadAction> drainActions() {
        if (actions.isEmpty()) {
            return List.of();
        }
        List<KadAction> out = List.copyOf(actions);
        actions.clear();
        return out;
    }

    // ---------------------------------------------------------------- operations

    /**
     * Finds providers of {@code key} (a multihash's bytes, as go and js-libp2p use for CIDs): the
     * local store, then an iterative GET_PROVIDERS until {@code max} providers are known, the
     * lookup converges on the k closest peers, or {@code timeout} passes. {@code onProvider} (may
     * be null) sees each provider as it is found.
     */
    public CompletableFuture<LookupResult> findProviders(
            byte[] key, int max, Duration timeout, Consumer<KadPeer> onProvider) {
        Lookup l = newLookup(KadMessage.Type.GET_PROVIDERS, key, timeout);
        l.maxProviders = max;
        l.onProvider = onProvider;
        for (ProviderRecord r : store.get(key, now())) {
            l.addProvider(r.toPeer(), 0);
        }
        start(l, List.of());
        return l.future;
    }

    /** Finds the addresses of {@code peer}: the routing table, else an iterative FIND_NODE. */
    public CompletableFuture<LookupResult> findPeer(PeerId peer, Duration timeout) {
        Lookup l = newLookup(KadMessage.Type.FIND_NODE, peer.toBytes(), timeout);
        l.wantedPeer = peer;
        RoutingTable.Contact c = table.get(peer, KadKey.of(peer));
        if (c != null && !c.addrs.isEmpty()) {
            l.found = KadPeer.of(peer, c.addrs);
        }
        start(l, List.of());
        return l.future;
    }

    /** The k peers closest to {@code key} that answer, by an iterative FIND_NODE. */
    public CompletableFuture<LookupResult> closestPeers(byte[] key, Duration timeout) {
        Lookup l = newLookup(KadMessage.Type.FIND_NODE, key, timeout);
        start(l, List.of());
        return l.future;
    }

    /**
     * Joins the network through {@code seeds} (peers with addresses): looks up our own key starting
     * from them, which fills the routing table with the peers that answer.
     */
    public CompletableFuture<LookupResult> bootstrap(List<KadPeer> seeds) {
        Lookup l = newLookup(KadMessage.Type.FIND_NODE, self.toBytes(), cfg.queryTimeout());
        start(l, seeds);
        return l.future;
    }

    /**
     * Looks up the value record of {@code key} (a /pk or /ipns key): the one held here, then an
     * iterative GET_VALUE over the peers closest to the key until the lookup converges or {@code
     * timeout} passes; every record received is validated and the best kept (for IPNS the highest
     * sequence, then the latest validity). {@link ValueResult#value()} is null when none was found.
     */
    public CompletableFuture<ValueResult> getValue(byte[] key, Duration timeout) {
        Lookup l = newLookup(KadMessage.Type.GET_VALUE, key, timeout);
        l.values = new ValueRecords(1, MAX_VALUE_RECORD_BYTES, cfg.providerTtl().toMillis());
        byte[] local = values.get(key, now());
        if (local != null) {
            l.values.put(key, local, now());
            l.valueFrom = self;
        }
        start(l, List.of());
        return l.future.thenApply(
                r -> {
                    byte[] rec = l.values.get(key, now());
                    return new ValueResult(
                            rec == null ? null : ValueRecords.valueOf(rec),
                            rec == null ? null : l.valueFrom,
                            r);
                });
    }

    /**
     * Publishes our value record for {@code key}: validates and stores it here (an invalid one
     * fails the future with the reason), finds the k closest peers and sends each a PUT_VALUE;
     * completes when every one answered or failed, listing those that accepted it (echoed it).
     */
    public CompletableFuture<PutValueResult> putValue(byte[] key, byte[] value) {
        byte[] record = ValueRecords.encodeRecord(key, value);
        try {
            values.put(key, record, now());
        } catch (ValueRecords.InvalidRecord e) {
            return CompletableFuture.failedFuture(new KadException(e.getMessage()));
        }
        return closestPeers(key, cfg.queryTimeout())
                .thenCompose(
                        r -> {
                            List<PeerId> accepted = new ArrayList<>();
                            List<String> refused = new ArrayList<>();
                            List<CompletableFuture<Void>> all = new ArrayList<>();
                            for (KadPeer peer : r.closest()) {
                                CompletableFuture<KadMessage> reply = new CompletableFuture<>();
                                long id = nextId++;
                                KadMessage put =
                                        new KadMessage(
                                                KadMessage.Type.PUT_VALUE,
                                                key,
                                                record,
                                                List.of(),
                                                List.of());
                                pending.put(
                                        id,
                                        new Pending(
                                                id,
                                                peer.id(),
                                                KadMessage.Type.PUT_VALUE,
                                                now() + cfg.requestTimeout().toMillis(),
                                                null,
                                                reply));
                                actions.add(
                                        new KadAction.SendRequest(
                                                id, peer.id(), peer.addrs(), put, true));
                                requestsOut++;
                                all.add(
                                        reply.handle(
                                                (m, e) -> {
                                                    if (e == null
                                                            && java.util.Arrays.equals(
                                                                    m.record(), record)) {
                                                        accepted.add(peer.id());
                                                    } else {
                                                        refused.add(
                                                                peer.id()
                                                                        + ": "
                                                                        + (e == null
                                                                                ? "did not echo the record"
                                                                                : e.getMessage()));
                                                    }
                                                    return null;
                                                }));
                            }
                            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                                    .thenApply(
                                            v ->
                                                    new PutValueResult(
                                                            List.copyOf(accepted),
                                                            List.copyOf(refused),
                                                            r.queried()));
                        });
    }

    /**
     * Announces that we provide {@code key}: stores ourselves locally, finds the k closest peers
     * and sends each an ADD_PROVIDER; repeats every {@link KadConfig#republishInterval()} until
     * {@link #stopProviding}.
     */
    public CompletableFuture<ProvideResult> provide(byte[] key) {
        return announcer.provide(key);
    }

    /** Stops republishing {@code key}; records already stored elsewhere expire on their own. */
    public void stopProviding(byte[] key) {
        announcer.stopProviding(key);
    }

    /**
     * The low-water mark ({@link KadConfig#minConnections}): while fewer routing-table contacts are
     * connected than that (or than the table holds, if fewer), the closest unconnected ones are
     * sent a FIND_NODE of our own id, as many as are missing; the request dials them, and one that
     * does not answer counts a failure (and leaves the table after {@link KadConfig#maxFailures}).
     * Without it a node that met its contacts through a bootstrap peer kept only the connections
     * its own requests happened to open, and lost the rest for good when they broke.
     */
    private void keepConnected(long now) {
        nextUpkeep = Long.MAX_VALUE;
        List<RoutingTable.Contact> contacts = table.closest(selfKey, table.size());
        int have = 0;
        for (RoutingTable.Contact c : contacts) {
            if (connected.contains(c.peer)) {
                have++;
            }
        }
        int missing = Math.min(cfg.minConnections(), contacts.size()) - have;
        if (missing <= 0) {
            return;
        }
        Set<PeerId> asking = new HashSet<>();
        for (Pending p : pending.values()) {
            asking.add(p.peer);
        }
        boolean waiting = false;
        for (RoutingTable.Contact c : contacts) {
            if (missing == 0) {
                break;
            }
            if (connected.contains(c.peer) || guard.isBanned(c.peer, now)) {
                continue;
            }
            waiting = true;
            if (!asking.contains(c.peer)) {
                send(
                        c.peer,
                        c.addrs,
                        KadMessage.request(KadMessage.Type.FIND_NODE, self.toBytes()),
                        null);
                upkeepRequests++;
                missing--;
            }
        }
        if (waiting) {
            nextUpkeep = now + cfg.bootstrapRetry().toMillis();
        }
    }

    private void refresh() {
        closestPeers(self.toBytes(), cfg.queryTimeout());
        // And a random key, to keep the farther buckets fresh too.
        byte[] rnd = new byte[32];
        random.nextBytes(rnd);
        closestPeers(rnd, cfg.queryTimeout());
    }

    // ---------------------------------------------------------------- views

    /** The routing table, bucket by bucket. */
    public List<RoutingEntry> routingTable() {
        return table.snapshot();
    }

    /** Unexpired provider records we hold for {@code key}. */
    public List<ProviderRecord> localProviders(byte[] key) {
        return store.get(key, now());
    }

    public double penalty(PeerId peer) {
        return guard.score(peer, now());
    }

    public boolean isBanned(PeerId peer) {
        return guard.isBanned(peer, now());
    }

    public KadStats stats() {
        return new KadStats(
                table.size(),
                store.keys(),
                store.records(),
                announcer.provided(),
                announcer.queued(),
                lookups.size(),
                pending.size(),
                requestsIn,
                requestsRefused,
                requestsOut,
                requestsFailed,
                penalties,
                guard.banned(now()),
                (int) connected.stream().filter(p -> table.get(p, KadKey.of(p)) != null).count(),
                upkeepRequests);
    }

    // ---------------------------------------------------------------- internals

    void penalize(PeerId peer, double points, String reason) {
        penalties++;
        if (guard.penalize(peer, points, now())) {
            table.remove(peer, KadKey.of(peer));
            actions.add(
                    new KadAction.Disconnect(
                            peer,
                            "banned for "
                                    + cfg.banDuration()
                                    + " after penalties reached "
                                    + cfg.banScore()
                                    + " (last: "
                                    + reason
                                    + ")"));
        }
    }

    List<Multiaddr> capAddrs(List<Multiaddr> addrs) {
        return addrs.size() <= cfg.maxAddrsPerPeer()
                ? List.copyOf(addrs)
                : List.copyOf(addrs.subList(0, cfg.maxAddrsPerPeer()));
    }

    private void offerContact(PeerId peer, KadKey key, List<Multiaddr> addrs) {
        long now = now();
        if (table.offer(peer, key, addrs, now) != RoutingTable.Offer.FULL) {
            return;
        }
        RoutingTable.Contact old = table.oldest(key);
        if (old != null
                && now - old.lastSeen >= cfg.staleAfter().toMillis()
                && probing.add(old.peer)) {
            send(
                    old.peer,
                    old.addrs,
                    KadMessage.request(KadMessage.Type.FIND_NODE, self.toBytes()),
                    null);
        }
    }

    private long send(PeerId peer, List<Multiaddr> addrs, KadMessage msg, Lookup l) {
        long id = nextId++;
        pending.put(
                id,
                new Pending(
                        id, peer, msg.type(), now() + cfg.requestTimeout().toMillis(), l, null));
        actions.add(new KadAction.SendRequest(id, peer, addrs, msg, true));
        requestsOut++;
        return id;
    }

    private Lookup newLookup(KadMessage.Type kind, byte[] key, Duration timeout) {
        Lookup l = new Lookup(kind, key, cfg.k());
        l.started = now();
        l.deadline = l.started + timeout.toMillis();
        return l;
    }

    private void start(Lookup l, List<KadPeer> seeds) {
        lookups.add(l);
        for (RoutingTable.Contact c : table.closest(l.target, cfg.k())) {
            l.addCandidate(c.peer, c.addrs, 1);
        }
        for (KadPeer s : seeds) {
            if (!s.id().equals(self)) {
                l.addCandidate(s.id(), capAddrs(s.addrs()), 1);
            }
        }
        step(l);
    }

    private void step(Lookup l) {
        if (l.done) {
            return;
        }
        if (l.satisfied()) {
            finish(l, false);
            return;
        }
        // Walk the candidates closest first; the lookup ends when the k closest that did not fail
        // have all answered.
        int considered = 0;
        boolean converged = true;
        for (Lookup.Candidate c : l.ordered()) {
            if (c.state == Lookup.State.FAILED) {
                continue;
            }
            if (considered++ >= cfg.k()) {
                break;
            }
            if (c.state == Lookup.State.SUCCEEDED) {
                continue;
            }
            converged = false;
            if (c.state == Lookup.State.WAITING && l.inflight < cfg.alpha()) {
                c.state = Lookup.State.INFLIGHT;
                l.inflight++;
                l.queried++;
                KadMessage req = KadMessage.request(l.kind, l.key);
                send(c.peer, c.addrs, req, l);
            }
        }
        if (converged) {
            finish(l, false);
        }
    }

    private void finish(Lookup l, boolean timedOut) {
        l.done = true;
        lookups.remove(l);
        // Requests still in flight stay pending: their answers refresh the routing table.
        l.future.complete(l.result(now(), timedOut));
    }

    @Override
    public String toString() {
        return "Kademlia(" + self + ", " + cfg.mode() + ", " + table.size() + " contacts)";
    }
}
