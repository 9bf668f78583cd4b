package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.DurabilityAction;
import io.ipdm.lakes.durability.DurabilityCodec;
import io.ipdm.lakes.durability.DurabilityEngine;
import io.ipdm.lakes.durability.DurabilityEvent;
import io.ipdm.lakes.durability.DurabilityMessage;
import io.ipdm.lakes.durability.DurabilityMessage.Proof;
import io.ipdm.lakes.durability.KeySpace;
import io.ipdm.lakes.durability.Subscription;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a storage network in which every node runs the unchanged {@link
 * DurabilityEngine} (the code {@code ipdm node} runs), on a virtual network driven by one seed, as
 * FoundationDB and TigerBeetle test theirs.
 *
 * <p>The network: messages go through the real {@link DurabilityCodec} and arrive after a latency
 * drawn from [min, max], or are lost with probability {@code loss}; partitions cut 5% of the nodes
 * off for 5-30 minutes. Churn: crashes (the disk survives, the node returns after 5 minutes to 4
 * hours with a fresh engine that knows nothing) and leaves (disk gone; a fresh node joins a few
 * minutes later). Peer discovery is the real DHT ({@link Discovery}): every node runs {@link
 * io.ipdm.mesh.kad.Kademlia}, bootstraps from a few seed nodes, and its engine learns its peers
 * only from connections to the storage nodes of its routing table, through the same {@link
 * io.ipdm.lakes.durability.PeerFeed} {@code ipdm node} uses. Fetches stand in for Bitswap: the DAG
 * comes from a listed provider that really has correct bytes, else from a provider a DHT lookup
 * finds (holders announce what they pin), after two latencies and its size over the bandwidth;
 * corrupt copies are rejected by CID. Liars ({@link Behaviour}) lie through their disk and their
 * answers only: their engine is the same.
 *
 * <p>Time is virtual: events run in (time, sequence) order, so a run takes no wall-clock sleeps and
 * every run with the same configuration is identical ({@link SimResult#traceHash()}). Not
 * thread-safe.
 */
public final class DurabilitySim {
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z
    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    static final long QUIET = HOUR;

    /** Before the run: the DHT alone, every node bootstrapping over its first minutes. */
    static final long WARMUP = 30 * MINUTE;

    private record Event(long time, long seq, int kind, int a, int b, Runnable action) {}

    final SimConfig cfg;
    final DurabilityCodec codec = DurabilityCodec.defaults();
    final KeySpace keys = new KeySpace();
    final Catalog catalog;
    final List<SignedRecord> records = new ArrayList<>();
    final PeerId authorId;
    final SplittableRandom net;
    final SplittableRandom churn;
    final SplittableRandom parts;
    final SplittableRandom ids;
    final List<SimNode> nodes = new ArrayList<>();
    final Map<PeerId, SimNode> byId = new HashMap<>();
    final List<SimNode> up = new ArrayList<>();
    final List<SimNode> upHonest = new ArrayList<>();
    final List<SimNode> liars = new ArrayList<>();
    final GroundTruth truth;
    final Discovery discovery;
    final SplittableRandom detection;
    final PriorityQueue<Event> events =
            new PriorityQueue<>(
                    (x, y) ->
                            x.time != y.time
                                    ? Long.compare(x.time, y.time)
                                    : Long.compare(x.seq, y.seq));
    private final InstantSource clock =
            new InstantSource() {
                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(now);
                }

                @Override
                public long millis() {
                    return now;
                }
            };
    final Map<DurabilityEvent.Kind, Long> reports = new HashMap<>();
    final Set<Integer> honestIsolated = new LinkedHashSet<>();
    final Faults faults = new Faults(this);
    private final Measurements measure = new Measurements(this);
    static final boolean DEBUG = Boolean.getBoolean("sim.debug");
    final Map<String, Long> debug = new java.util.TreeMap<>();
    int debugLines;
    java.io.PrintStream progress;
    int interimEvery;
    long now = START;
    long seq;
    long trace = 0xcbf29ce484222325L;
    long fetchedBytes;
    long controlBytes;
    long messages;
    long messagesLost;
    long fetches;
    long fetchesAfterFirstHour;
    long shortLivedCopies;
    long surplusCopies;

    /** Debug only: the roots of the Replicate being delivered (a fetch it starts was asked). */
    private List<Cid> asked = List.of();

    private long nextDay;
    private long wall;

    public DurabilitySim(SimConfig cfg) {
        this.cfg = cfg;
        SplittableRandom master = new SplittableRandom(cfg.seed());
        this.net = master.split();
        this.churn = master.split();
        this.parts = master.split();
        this.ids = master.split();
        // Detection delays have their own stream: how many connections break depends on the
        // engines (the DHT's provider announcements), and the churn drawn must not.
        this.detection = master.split();
        this.discovery = new Discovery(this, SimConfig.kadDefaults());
        SplittableRandom data = master.split();
        SplittableRandom roles = master.split();
        this.catalog = new Catalog(cfg.roots(), cfg.blocksPerRoot(), cfg.leafBytes(), data);
        this.truth = new GroundTruth(catalog.roots(), cfg.factor(), now);
        Ed25519KeyPair author = Ed25519KeyPair.fromSeed(seed(ids));
        List<Cid> roots = catalog.roots();
        int per = (roots.size() + cfg.subscriptions() - 1) / cfg.subscriptions();
        for (int s = 0; s * per < roots.size(); s++) {
            List<Cid> part = roots.subList(s * per, Math.min(roots.size(), (s + 1) * per));
            records.add(
                    new Subscription("sim-" + s, part, cfg.factor(), List.of(), "")
                            .sign(author, 1));
        }
        List<Behaviour> roleList = new ArrayList<>();
        int liarCount = (int) Math.round(cfg.nodes() * cfg.liarShare());
        Behaviour[] kinds = {
            Behaviour.CLAIM_ONLY, Behaviour.DROPPER, Behaviour.CORRUPT, Behaviour.LATE
        };
        for (int i = 0; i < cfg.nodes(); i++) {
            roleList.add(i < liarCount ? kinds[i % kinds.length] : Behaviour.HONEST);
        }
        Collections.shuffle(roleList, roles);
        for (int i = 0; i < cfg.nodes(); i++) {
            newNode(roleList.get(i));
        }
        this.authorId = author.peerId();
    }

    private static byte[] seed(SplittableRandom r) {
        byte[] s = new byte[32];
        r.nextBytes(s);
        return s;
    }

    SimNode newNode(Behaviour b) {
        PeerId id = Ed25519KeyPair.fromSeed(seed(ids)).peerId();
        SimNode n =
                new SimNode(
                        nodes.size(), id, keys.of(id), b, new SimStore(b, catalog), ids.nextLong());
        nodes.add(n);
        byId.put(id, n);
        if (b != Behaviour.HONEST) {
            liars.add(n);
        }
        return n;
    }

    // ---------------------------------------------------------------- the run

    /**
     * Also prints the figures so far to the progress stream every {@code days} simulated days (0:
     * never), so a long run that is stopped early still says what it measured.
     */
    public DurabilitySim reportEvery(int days) {
        this.interimEvery = days;
        return this;
    }

    /** Prints a line per simulated day to {@code out} (null: silent). */
    public DurabilitySim progressTo(java.io.PrintStream out) {
        this.progress = out;
        return this;
    }

    /** Runs the whole scenario and measures it. */
    public SimResult run() {
        wall = System.nanoTime();
        place();
        // The DHT first: each node bootstraps from the seeds, spread over a third of the warm-up.
        now = START - WARMUP;
        for (SimNode n : nodes) {
            markUp(n);
            at(
                    now + n.index * (WARMUP / 3) / nodes.size(),
                    28,
                    n.index,
                    -1,
                    () -> discovery.startKad(n));
        }
        nextDay = Long.MAX_VALUE;
        runUntil(START);
        now = START;
        for (SimNode n : nodes) {
            startEngine(n);
        }
        for (SimNode n : nodes) {
            for (SignedRecord r : records) {
                n.engine.onSubscription(r);
            }
            drain(n);
        }
        truth.placed();
        if (DEBUG) {
            measure.sample();
        }
        long end = START + (long) (cfg.days() * 24 * HOUR);
        faults.scheduleChurn();
        faults.schedulePartition();
        at(now + HOUR, 1, -1, -1, measure::sample);
        nextDay = START + 24 * HOUR;
        runUntil(end);
        now = end;
        measure.sample();
        if (DEBUG) {
            System.err.println(
                    "oldest open episode since "
                            + (truth.oldestOpen() - START) / 1000
                            + " s of "
                            + (end - START) / 1000);
        }
        if (DEBUG) {
            long tracked = 0, maxTracked = 0, rounds = 0, maxRounds = 0;
            for (SimNode n : up) {
                tracked += n.engine.trackedRoots();
                maxTracked = Math.max(maxTracked, n.engine.trackedRoots());
                rounds += n.engine.challengesInFlight();
                maxRounds = Math.max(maxRounds, n.engine.challengesInFlight());
            }
            System.err.println(
                    "tracked avg "
                            + tracked / up.size()
                            + " max "
                            + maxTracked
                            + " rounds avg "
                            + rounds / up.size()
                            + " max "
                            + maxRounds);
        }
        return measure.result(System.nanoTime() - wall);
    }

    /** Runs events in (time, sequence) order up to {@code end}. */
    private void runUntil(long end) {
        while (!events.isEmpty() && events.peek().time <= end) {
            Event e = events.poll();
            now = e.time;
            if (progress != null && now >= nextDay) {
                progress.printf(
                        "  day %d simulated, %.0f s: %d roots lost, %d under factor, %d churn"
                                + " events, %d below-factor episodes repaired%n",
                        (nextDay - START) / (24 * HOUR),
                        (System.nanoTime() - wall) / 1e9,
                        truth.lostRoots,
                        truth.underFactor(),
                        faults.churnEvents,
                        truth.churnRepairs.size());
                long day = (nextDay - START) / (24 * HOUR);
                nextDay += 24 * HOUR;
                if (interimEvery > 0 && day % interimEvery == 0 && day < cfg.days()) {
                    progress.print(measure.result(System.nanoTime() - wall, true).format());
                }
            }
            mix(e.time);
            mix(e.kind);
            mix(e.a);
            mix(e.b);
            e.action.run();
        }
    }

    /** Puts each root on the first {@code factor} nodes by XOR distance (liars included). */
    void place() {
        for (Cid root : catalog.roots()) {
            KadKey key = keys.of(root);
            SimNode[] best = new SimNode[cfg.factor()];
            for (SimNode n : nodes) {
                KadKey k = keys.of(n.id);
                for (int i = 0; i < best.length; i++) {
                    if (best[i] == null || key.compareDistance(k, keys.of(best[i].id)) < 0) {
                        System.arraycopy(best, i, best, i + 1, best.length - i - 1);
                        best[i] = n;
                        break;
                    }
                }
            }
            for (SimNode n : best) {
                storeDag(n, root);
                n.store.pins.add(root);
            }
        }
    }

    void storeDag(SimNode n, Cid root) {
        List<Cid> dag = catalog.dag(root);
        for (Cid c : dag) {
            n.store.store(c, catalog.bytes(c));
        }
        if (n.store.holdsCorrect(dag) && n.held.add(root)) {
            truth.added(root, n.index, n.state == SimNode.State.UP, now);
        }
        if (n.behaviour == Behaviour.DROPPER) {
            SplittableRandom r = new SplittableRandom(n.seed ^ root.hashCode() ^ now);
            long delay = HOUR + r.nextLong(23 * HOUR);
            at(now + delay, 2, n.index, -1, () -> loseSilently(n, root));
        }
    }

    void loseSilently(SimNode n, Cid root) {
        if (n.state == SimNode.State.GONE) {
            return;
        }
        for (Cid c : catalog.dag(root)) {
            n.store.loseSilently(c);
        }
        if (n.held.remove(root)) {
            truth.removed(root, n.index, n.state == SimNode.State.UP, GroundTruth.Cause.LIE, now);
        }
    }

    void startEngine(SimNode n) {
        DurabilityEngine e =
                new DurabilityEngine(
                        n.id,
                        cfg.engine().toBuilder().authors(Set.of(authorId)).build(),
                        codec,
                        n.store,
                        clock,
                        new SplittableRandom(n.seed ^ (n.incarnation * 0x9E3779B97F4A7C15L)),
                        keys);
        n.engine = e;
        n.timerAt = Long.MAX_VALUE;
        e.restoreRanking(n.savedRanking, n.savedAt);
        e.start(List.copyOf(n.store.pins));
        discovery.startFeed(n);
        drain(n);
    }

    void markUp(SimNode n) {
        n.upPos = up.size();
        up.add(n);
        if (n.behaviour == Behaviour.HONEST) {
            n.honestPos = upHonest.size();
            upHonest.add(n);
        }
    }

    void markDown(SimNode n) {
        swapRemove(up, n.upPos, true);
        n.upPos = -1;
        if (n.honestPos >= 0) {
            swapRemove(upHonest, n.honestPos, false);
            n.honestPos = -1;
        }
    }

    private static void swapRemove(List<SimNode> list, int pos, boolean upList) {
        SimNode last = list.removeLast();
        if (pos < list.size()) {
            list.set(pos, last);
            if (upList) {
                last.upPos = pos;
            } else {
                last.honestPos = pos;
            }
        }
    }

    // ---------------------------------------------------------------- the adapter

    void drain(SimNode n) {
        if (n.engine == null) {
            return;
        }
        for (DurabilityAction a : n.engine.drainActions()) {
            switch (a) {
                case DurabilityAction.Send s -> send(n, s.peer(), s.message());
                case DurabilityAction.Fetch f -> fetch(n, f);
                case DurabilityAction.Pin p -> {
                    if (n.store.pins.add(p.root())) {
                        discovery.provide(n, p.root());
                    }
                }
                case DurabilityAction.Unpin u -> {
                    if (n.store.pins.remove(u.root())) {
                        discovery.stopProviding(n, u.root());
                    }
                    Long fetchedAt = n.fetchedAt.remove(u.root());
                    if (fetchedAt != null && now - fetchedAt < HOUR) {
                        shortLivedCopies++; // a duplicate repair: fetched, then handed off
                    }
                }
                case DurabilityAction.DropBlock d -> drop(n, d.cid());
                case DurabilityAction.ScheduleTimer t -> {
                    // One pending timer per node: the engine only ever asks for an earlier one,
                    // and its onTimer asks again for what it still needs, so a superseded later
                    // event would only make an idle call.
                    long at = Math.max(now, t.atMillis());
                    if (at < n.timerAt) {
                        n.timerAt = at;
                        int inc = n.incarnation;
                        at(at, 10, n.index, -1, () -> timer(n, inc, at));
                    }
                }
                case DurabilityAction.Report r -> report(n, r.event());
            }
        }
    }

    void timer(SimNode n, int inc, long at) {
        if (n.state == SimNode.State.UP && n.incarnation == inc && n.timerAt == at) {
            n.timerAt = Long.MAX_VALUE;
            n.engine.onTimer();
            drain(n);
        }
    }

    void send(SimNode from, PeerId peer, DurabilityMessage m) {
        SimNode to = byId.get(peer);
        long delay = latency();
        if (m instanceof Proof p && from.behaviour != Behaviour.HONEST) {
            m = lie(from, p);
            if (from.behaviour == Behaviour.LATE) {
                delay += 3 * cfg.engine().challengeTimeout().toMillis();
            }
        }
        byte[] bytes = codec.encode(m);
        if (DEBUG) {
            debug.merge("msg " + m.getClass().getSimpleName(), 1L, Long::sum);
        }
        messages++;
        controlBytes += bytes.length;
        if (to == null
                || to.state != SimNode.State.UP
                || to.cut != from.cut
                || net.nextDouble() < cfg.loss()) {
            messagesLost++;
            return;
        }
        int inc = to.incarnation;
        at(now + delay, 11, from.index, to.index, () -> deliver(from, to, inc, bytes));
    }

    /** A claiming liar makes up proofs for what it does not have, rather than admit it. */
    Proof lie(SimNode from, Proof p) {
        if (from.behaviour != Behaviour.CLAIM_ONLY) {
            return p;
        }
        List<byte[]> made = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(from.seed ^ p.id());
        for (byte[] proof : p.proofs()) {
            byte[] x = proof;
            if (x.length == 0) {
                x = new byte[DurabilityCodec.PROOF_BYTES];
                r.nextBytes(x);
            }
            made.add(x);
        }
        return new Proof(p.id(), made);
    }

    void deliver(SimNode from, SimNode to, int inc, byte[] bytes) {
        if (to.state != SimNode.State.UP || to.incarnation != inc || to.cut != from.cut) {
            messagesLost++;
            return;
        }
        mix(bytes.length);
        DurabilityMessage m = codec.decode(bytes);
        asked = DEBUG && m instanceof DurabilityMessage.Replicate r ? r.roots() : List.of();
        to.engine.onMessage(from.id, m);
        drain(to);
        asked = List.of();
    }

    long latency() {
        return net.nextLong(cfg.minLatency().toMillis(), cfg.maxLatency().toMillis() + 1);
    }

    InstantSource clock() {
        return clock;
    }

    /**
     * A Bitswap fetch of the whole DAG: from the first listed provider that really serves correct
     * bytes, else from a provider the DHT lists for the root (a lookup through the node's {@link
     * io.ipdm.mesh.kad.Kademlia}); corrupt copies travel and fail their CID check.
     */
    void fetch(SimNode n, DurabilityAction.Fetch f) {
        fetches++;
        if (now >= START + HOUR) {
            fetchesAfterFirstHour++;
        }
        Cid root = f.root();
        if (DEBUG) {
            // why the fetch: the cold start, or the fetcher's rank among the up nodes by distance
            // (0..factor-1: active in the full view); whether the root was at factor; asked or not
            debug.merge(
                    "fetch "
                            + (now < START + HOUR ? "first hour" : "rank " + trueRank(n, root))
                            + (truth.upCopies(root) >= cfg.factor() ? " at factor" : " below")
                            + (asked.contains(root) ? " asked" : " unasked"),
                    1L,
                    Long::sum);
        }
        SimNode source = source(n, root, f.providers());
        if (source != null) {
            transfer(n, f.id(), root, source);
            return;
        }
        discovery.findProviders(
                n,
                root,
                found -> {
                    List<PeerId> ids = new ArrayList<>();
                    for (io.ipdm.mesh.kad.KadPeer p : found) {
                        ids.add(p.id());
                    }
                    transfer(n, f.id(), root, source(n, root, ids));
                });
    }

    /** Up nodes closer to {@code root} than {@code n}, capped at factor + 2 (debug only). */
    private int trueRank(SimNode n, Cid root) {
        KadKey key = keys.of(root);
        int closer = 0;
        for (SimNode m : up) {
            if (m != n && key.compareDistance(m.key, n.key) < 0) {
                closer++;
            }
        }
        return Math.min(closer, cfg.factor() + 2);
    }

    private SimNode source(SimNode n, Cid root, List<PeerId> providers) {
        List<Cid> dag = catalog.dag(root);
        for (PeerId p : providers) {
            SimNode s = byId.get(p);
            if (s != null
                    && s != n
                    && s.state == SimNode.State.UP
                    && s.cut == n.cut
                    && s.store.servesBytes(dag)) {
                if (s.store.holdsCorrect(dag)) {
                    return s;
                }
                fetchedBytes += catalog.dagBytes(root); // corrupt bytes travel, then fail
            }
        }
        return null;
    }

    private void transfer(SimNode n, long id, Cid root, SimNode src) {
        int inc = n.incarnation;
        long latency = cfg.maxLatency().toMillis();
        if (src == null) {
            at(now + 30_000, 12, n.index, -1, () -> fetched(n, inc, id, root, null));
        } else {
            long time = 2 * latency + catalog.dagBytes(root) * 1000 / cfg.bandwidthBytesPerSecond();
            at(now + time, 12, n.index, src.index, () -> fetched(n, inc, id, root, src));
        }
    }

    void fetched(SimNode n, int inc, long id, Cid root, SimNode src) {
        if (n.state != SimNode.State.UP || n.incarnation != inc) {
            return;
        }
        List<Cid> dag = catalog.dag(root);
        boolean ok =
                src != null
                        && src.state == SimNode.State.UP
                        && src.cut == n.cut
                        && src.store.holdsCorrect(dag);
        if (ok) {
            if (truth.upCopies(root) >= cfg.factor()) {
                surplusCopies++; // the root had its factor of correct copies on up nodes already
            }
            fetchedBytes += catalog.dagBytes(root);
            storeDag(n, root);
            n.fetchedAt.put(root, now);
        }
        n.engine.onFetchResult(id, ok, ok ? "" : "no reachable provider holds " + root);
        drain(n);
    }

    void drop(SimNode n, Cid cid) {
        n.store.delete(cid);
        Cid root = catalog.rootOf(cid);
        if (root != null && n.held.contains(root) && !n.store.holdsCorrect(catalog.dag(root))) {
            n.held.remove(root);
            truth.removed(root, n.index, true, GroundTruth.Cause.DROP, now);
        }
    }

    void report(SimNode n, DurabilityEvent e) {
        reports.merge(e.kind(), 1L, Long::sum);
        if (DEBUG
                && e.kind() == DurabilityEvent.Kind.CHALLENGE_FAILED
                && n.behaviour == Behaviour.HONEST) {
            SimNode t = byId.get(e.peer());
            if (t != null && t.behaviour == Behaviour.HONEST) {
                String msg = e.message().substring(e.message().indexOf(' ') + 1);
                debug.merge(msg.substring(0, Math.min(msg.length(), 30)), 1L, Long::sum);
                if (debugLines++ < 15)
                    System.err.println(
                            (now - START) / 1000
                                    + " "
                                    + n.index
                                    + " -> "
                                    + t.index
                                    + " st="
                                    + t.state
                                    + " "
                                    + e.message()
                                    + " held="
                                    + t.held.contains(catalog.rootOf(e.root()))
                                    + " pins="
                                    + t.store.pins.contains(e.root()));
            }
        }
        if (e.kind() == DurabilityEvent.Kind.PEER_ISOLATED
                && n.behaviour == Behaviour.HONEST
                && e.peer() != null) {
            SimNode target = byId.get(e.peer());
            if (target != null && target.behaviour == Behaviour.HONEST) {
                honestIsolated.add(target.index);
            } else if (target != null && target.firstIsolated < 0) {
                target.firstIsolated = now;
            }
        }
    }

    /** Kinds of events the engines reported, and how often. */
    public Map<DurabilityEvent.Kind, Long> reports() {
        return Map.copyOf(reports);
    }

    /** Episodes where an engine-ordered drop took a root below factor (should stay 0). */
    public int dropEpisodes() {
        return truth.dropRepairs.size();
    }

    void at(long time, int kind, int a, int b, Runnable action) {
        events.add(new Event(time, seq++, kind, a, b, action));
    }

    void mix(long v) {
        trace = (trace ^ v) * 0x100000001b3L;
    }
}
