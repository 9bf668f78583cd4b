package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityAction.Fetch;
import io.ipdm.lakes.durability.DurabilityAction.Pin;
import io.ipdm.lakes.durability.DurabilityAction.Report;
import io.ipdm.lakes.durability.DurabilityAction.ScheduleTimer;
import io.ipdm.lakes.durability.DurabilityAction.Send;
import io.ipdm.lakes.durability.DurabilityAction.Unpin;
import io.ipdm.lakes.durability.DurabilityEvent.Kind;
import io.ipdm.lakes.durability.DurabilityEvent.Level;
import io.ipdm.lakes.durability.DurabilityMessage.Challenge;
import io.ipdm.lakes.durability.DurabilityMessage.Hello;
import io.ipdm.lakes.durability.DurabilityMessage.Holding;
import io.ipdm.lakes.durability.DurabilityMessage.Proof;
import io.ipdm.lakes.durability.DurabilityMessage.Records;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsRequest;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsSummary;
import io.ipdm.lakes.durability.DurabilityMessage.Replicate;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The storage node's durability protocol as a state machine without sockets, threads or clocks of
 * its own (the node runs it over Netty and its lake, the simulator over a virtual network).
 *
 * <p><b>Responsibility.</b> Each subscribed root has one order of servers: the subscription's
 * explicit servers, or the live storage nodes of its domain, sorted by XOR distance between their
 * Kademlia key ({@code sha256(peer id)}) and the root's ({@code sha256(multihash)}). The first
 * {@code factor} that are live and well ranked (this node included) are active, the rest reserve.
 * It is recomputed on churn ({@link #peerUp}, {@link #peerDown}, {@link #routingChanged}), on
 * subscription changes, and on the maintenance timer. An active node lacking the DAG fetches it; an
 * active node holding it asks the other active ones to hold it too ({@code Replicate}) and
 * challenges them; a node that stops being active hands the root over and drops it only once every
 * active server has proved, by answering a challenge against this node's own copy, that it holds
 * it. Agents need no coordination: they all compute the same order and act on their own view.
 *
 * <p><b>Subscriptions</b> are {@link SignedRecord}s from allow-listed authors ({@link
 * SubscriptionBook}); they are pulled from peers ({@code RecordsSummary}) during maintenance and
 * pushed by gossip (the node feeds them to {@link #onSubscription}). A root no subscription needs
 * is collected after {@link DurabilityConfig#gcGrace()}; blocks shared with other held roots stay.
 *
 * <p><b>Challenges</b>: see {@link Challenger} and {@link Ranking}.
 *
 * <p>Inputs are the public event methods; outputs are {@link #drainActions()}. Time comes from the
 * injected clock, randomness (nonces, samples, jitter) from the injected generator. Not
 * thread-safe: one thread makes every call.
 */
public final class DurabilityEngine {
    private final PeerId self;
    private final DurabilityConfig cfg;
    private final BlockAccess blocks;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final SubscriptionBook book;
    private final Ranking ranking;
    private final Challenger challenger;
    private final Audits audits;
    private final DurabilityCodec codec;
    private final KeySpace keys;
    private final Placement placement;
    private final Map<Cid, RootState> roots = new LinkedHashMap<>();
    private final Map<PeerId, Set<Cid>> rootsByPeer = new HashMap<>();
    private final HeldBlocks heldBlocks;
    private final RecordSync records;
    private final Map<Long, Cid> fetches = new HashMap<>();
    private final Set<Cid> localRoots = new LinkedHashSet<>();
    private final List<DurabilityAction> actions = new ArrayList<>();

    /** Roots to ask each peer to hold, sent as one Replicate per peer when actions are drained. */
    private final Map<PeerId, List<Cid>> toReplicate = new LinkedHashMap<>();

    /** Replicate requests a server may leave unanswered in a row before it counts as timed out. */
    static final int UNANSWERED_LIMIT = 3;

    private final long maintenanceMs;

    /** How long a passed challenge counts as proof of holding (for a hand-off). */
    private final long verifiedFor;

    private long nextId = 1;
    private long nextMaintenance;
    private long nextScan;
    private long timerAt = Long.MAX_VALUE;
    private boolean started;

    /** Until then the peer view is too young to take up roots on one's own (agents may ask). */
    private long settledAt;

    private boolean scanPending;
    private int recordPulls;
    private boolean deferScan;
    private boolean scanDue;

    public DurabilityEngine(
            PeerId self,
            DurabilityConfig cfg,
            DurabilityCodec codec,
            BlockAccess blocks,
            InstantSource clock,
            RandomGenerator random) {
        this(self, cfg, codec, blocks, clock, random, new KeySpace());
    }

    /** As above, with a key cache shared by engines driven from one thread (the simulator). */
    public DurabilityEngine(
            PeerId self,
            DurabilityConfig cfg,
            DurabilityCodec codec,
            BlockAccess blocks,
            InstantSource clock,
            RandomGenerator random,
            KeySpace keys) {
        this.self = self;
        this.keys = keys;
        this.cfg = cfg;
        this.codec = codec;
        this.blocks = blocks;
        this.clock = clock;
        this.random = random;
        this.book = new SubscriptionBook(cfg.authors());
        this.ranking = new Ranking(cfg);
        this.challenger = new Challenger(blocks);
        this.heldBlocks = new HeldBlocks(blocks, cfg.cacheBlocks());
        this.records = new RecordSync(book, codec, this::send);
        this.maintenanceMs = cfg.maintenanceInterval().toMillis();
        this.verifiedFor = 2 * cfg.challengeInterval().toMillis();
        this.placement = new Placement(self, cfg.domain(), keys, ranking, this::now);
        this.audits = new Audits(this, cfg, random, challenger, ranking);
    }

    public PeerId self() {
        return self;
    }

    public DurabilityConfig config() {
        return cfg;
    }

    long now() {
        return clock.millis();
    }

    // ---------------------------------------------------------------- events in

    /**
     * Starts the timers. {@code pinnedRoots}: roots the local store holds from before (a restart);
     * those a subscription lists are taken up again once the subscription is known.
     */
    public void start(Collection<Cid> pinnedRoots) {
        started = true;
        localRoots.addAll(pinnedRoots);
        long now = now();
        // Jitter spreads the maintenance of many nodes started together.
        nextMaintenance = now + 1 + random.nextLong(maintenanceMs);
        nextScan = now + cfg.scanInterval().toMillis();
        settledAt = now + maintenanceMs;
        schedule(nextMaintenance);
    }

    /**
     * Takes up the ranking this node saved before a restart ({@link #ranking()} at {@code
     * savedAtMillis}); call before {@link #start}. Evidence decays from when it was saved.
     */
    public void restoreRanking(Collection<PeerRank> saved, long savedAtMillis) {
        long now = now();
        for (PeerRank r : saved) {
            ranking.restore(r, savedAtMillis, now);
        }
    }

    /** A connection to a peer speaking {@code /ipdm/durability/1.0.0} is up. */
    public void peerUp(PeerId peer) {
        if (!placement.up(peer)) {
            return;
        }
        if (!cfg.domain().isEmpty()) {
            send(peer, new Hello(cfg.domain()));
        }
        if (recordPulls < 2) {
            // A node that just started knows no subscriptions yet: ask its first peers.
            recordPulls++;
            send(peer, records.summary());
        }
        KadKey pk = keys.of(peer);
        List<RootState> entered = null;
        for (RootState rs : roots.values()) {
            if (rs.short_ || rs.farthest == null || rs.key.compareDistance(pk, rs.farthest) < 0) {
                if (entered == null) {
                    entered = new ArrayList<>();
                }
                entered.add(rs);
            }
        }
        if (entered != null) {
            entered.forEach(this::maintain);
        }
    }

    /** The last connection to a peer is gone. */
    public void peerDown(PeerId peer) {
        if (!placement.down(peer)) {
            return;
        }
        for (Challenger.Round r : challenger.forget(peer)) {
            audits.judge(r);
        }
        Set<Cid> affected = rootsByPeer.get(peer);
        if (affected != null) {
            for (Cid c : List.copyOf(affected)) {
                RootState rs = roots.get(c);
                if (rs != null) {
                    // It may come back without its disk or its state: it must claim again.
                    rs.holders.remove(peer);
                    maintain(rs);
                }
            }
        }
    }

    /** The routing table changed in a way peer events do not show: recompute everything now. */
    public void routingChanged() {
        for (RootState rs : List.copyOf(roots.values())) {
            maintain(rs);
        }
        scan();
    }

    /** Undecodable input or a broken limit from {@code peer} (the adapter's codec said why). */
    public void onMalformed(PeerId peer, String reason) {
        report(Kind.MALFORMED_MESSAGE, Level.WARN, null, peer, reason);
        audits.penalize(peer, Ranking.MALFORMED_POINTS);
    }

    public void onMessage(PeerId from, DurabilityMessage m) {
        if (ranking.isolated(from) && !(m instanceof Challenge)) {
            // A serial offender is ignored, but still answered (rate-limited): refusing would make
            // it rank us down, and a wrongly isolated honest peer must not start a feud.
            return;
        }
        switch (m) {
            case Hello h -> onHello(from, h);
            case Replicate r -> onReplicate(from, r);
            case Holding h -> onHolding(from, h);
            case Challenge c -> audits.onChallenge(from, c);
            case Proof p -> {
                Challenger.Round done = challenger.answer(from, p.id(), p.proofs());
                if (done != null) {
                    audits.judge(done);
                }
            }
            case RecordsSummary s -> records.onSummary(from, s);
            case RecordsRequest r -> records.sendRecords(from, r.digests());
            case Records r -> {
                deferScan = true; // one scan for the whole batch
                for (byte[] b : r.records()) {
                    if (records.held(b)) {
                        continue; // held already: no need to decode it again
                    }
                    try {
                        onSubscription(SignedRecord.decode(b, codec.maxRecordBytes()));
                    } catch (RecordException e) {
                        onMalformed(
                                from, "subscription record from " + from + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * A subscription record (from gossip, a peer, or this node's own CLI). Refused records are
     * reported; the result says whether it was taken.
     */
    public boolean onSubscription(SignedRecord record) {
        SubscriptionBook.Result r = book.put(record);
        if (r.kind() != null) {
            Level level =
                    r.accepted()
                            ? Level.INFO
                            : r.kind() == Kind.SUBSCRIPTION_CONFLICT ? Level.ERROR : Level.WARN;
            report(r.kind(), level, null, null, r.message());
        }
        for (Cid root : r.changedRoots()) {
            RootState rs = roots.get(root);
            if (rs != null) {
                maintain(rs);
            }
        }
        if (!r.changedRoots().isEmpty()) {
            for (Cid root : r.changedRoots()) {
                if (localRoots.contains(root)) {
                    considerIfNew(root);
                }
            }
            if (deferScan) {
                scanDue = true;
            } else {
                scan();
            }
        }
        return r.accepted();
    }

    public void onTimer() {
        long now = now();
        timerAt = Long.MAX_VALUE;
        for (Challenger.Round r : challenger.expired(now)) {
            audits.judge(r);
        }
        if (now >= nextMaintenance) {
            nextMaintenance = now + maintenanceMs;
            for (RootState rs : List.copyOf(roots.values())) {
                // Churn, rank and subscription events recompute at once; the timer only catches
                // what decays (ranks recovering), so it recomputes at the scan interval.
                maintain(rs, now - rs.computedAt >= cfg.scanInterval().toMillis());
            }
            if (cfg.repair() && (now >= nextScan || (scanPending && now >= settledAt))) {
                nextScan = now + cfg.scanInterval().toMillis();
                scan();
                PeerId p = randomPeer();
                if (p != null) {
                    send(p, records.summary());
                }
            }
        }
        if (started) {
            schedule(Math.min(nextMaintenance, challenger.nextDeadline()));
        }
    }

    /** A fetch asked by {@link Fetch} ended; {@code ok} when every block was stored. */
    public void onFetchResult(long id, boolean ok, String detail) {
        Cid root = fetches.remove(id);
        RootState rs = root == null ? null : roots.get(root);
        if (rs == null || rs.fetchId != id) {
            return;
        }
        rs.fetchId = 0;
        Set<Cid> dag = ok ? heldBlocks.walk(root) : null;
        if (dag == null) {
            report(
                    Kind.FETCH_FAILED,
                    Level.WARN,
                    root,
                    null,
                    "fetch of " + root + " failed: " + (ok ? "DAG still incomplete" : detail));
            return;
        }
        complete(rs, dag);
        report(
                Kind.FETCHED,
                Level.INFO,
                root,
                null,
                "holding " + root + " (" + dag.size() + " blocks)");
        maintain(rs);
    }

    /** A block was stored locally (an import, a put): a subscribed root may now be complete. */
    public void blockAdded(Cid cid) {
        if (book.refCount(cid) > 0 && !roots.containsKey(cid)) {
            localRoots.add(cid); // put here (an import): this node holds it until handed over
            consider(cid);
        }
        RootState rs = roots.get(cid);
        if (rs != null && !rs.complete() && rs.fetchId == 0) {
            Set<Cid> dag = heldBlocks.walk(cid);
            if (dag != null) {
                complete(rs, dag);
                maintain(rs);
            }
        }
    }

    /** A block vanished from the local store (disk loss, manual delete): repair what needs it. */
    public void blockRemoved(Cid cid) {
        if (!heldBlocks.vanished(cid)) {
            return;
        }
        for (RootState rs : List.copyOf(roots.values())) {
            if (rs.complete() && rs.dag.contains(cid)) {
                for (Cid b : rs.dag) {
                    if (!b.equals(cid)) {
                        heldBlocks.unref(b);
                    }
                }
                rs.dag = null;
                maintain(rs);
            }
        }
    }

    /**
     * A block read from the network passed through this node: returns whether to keep it as
     * low-priority cache (the adapter stores it unpinned; the least recently passed blocks beyond
     * {@link DurabilityConfig#cacheBlocks()} are dropped again).
     */
    public boolean blockPassedThrough(Cid cid) {
        List<Cid> evicted = heldBlocks.cache(cid);
        if (evicted == null) {
            return false;
        }
        evicted.forEach(c -> actions.add(new DurabilityAction.DropBlock(c)));
        return true;
    }

    /** Everything asked of the adapter since the last call, in order. */
    public List<DurabilityAction> drainActions() {
        if (!toReplicate.isEmpty()) {
            toReplicate.forEach(
                    (p, list) -> {
                        for (int i = 0; i < list.size(); i += codec.maxItems()) {
                            List<Cid> part =
                                    list.subList(i, Math.min(list.size(), i + codec.maxItems()));
                            send(p, new Replicate(nextId++, part));
                        }
                    });
            toReplicate.clear();
        }
        if (actions.isEmpty()) {
            return List.of();
        }
        List<DurabilityAction> out = List.copyOf(actions);
        actions.clear();
        return out;
    }

    // ---------------------------------------------------------------- status

    /** This node's view of {@code root}, for {@code ipdm net status}. */
    public RootStatus status(Cid root) {
        RootState rs = roots.get(root);
        return RootStatus.of(
                root,
                rs,
                book.of(root),
                rs != null ? rs.key : keys.of(root),
                placement,
                ranking,
                keys,
                self,
                cfg.acceptSlack(),
                now());
    }

    /** Every peer this node has challenge evidence on, best first, isolated ones last. */
    public List<PeerRank> ranking() {
        return ranking.all(now());
    }

    public PeerRank rankOf(PeerId peer) {
        return ranking.rankOf(peer, now());
    }

    /** Whether this node has isolated {@code peer} as a serial offender. */
    public boolean isIsolated(PeerId peer) {
        return ranking.isolated(peer);
    }

    /** The current subscriptions this node accepted. */
    public List<Subscription> subscriptions() {
        return List.copyOf(book.all());
    }

    /** Roots this node holds completely for the network. */
    public List<Cid> heldRoots() {
        List<Cid> out = new ArrayList<>();
        for (RootState rs : roots.values()) {
            if (rs.complete()) {
                out.add(rs.root);
            }
        }
        return out;
    }

    /** Roots with fewer eligible servers than their factor, as seen from here. */
    public List<Cid> underReplicated() {
        List<Cid> out = new ArrayList<>();
        for (RootState rs : roots.values()) {
            if (rs.short_) {
                out.add(rs.root);
            }
        }
        return out;
    }

    /** Whether {@code peer} is an active server of some root this node tracks. */
    public boolean isActiveServer(PeerId peer) {
        return rootsByPeer.containsKey(peer);
    }

    /** Roots this node tracks (holds, fetches, or hands off). */
    public int trackedRoots() {
        return roots.size();
    }

    public int challengesInFlight() {
        return challenger.inFlight();
    }

    public int livePeers() {
        return placement.size() - 1;
    }

    // ---------------------------------------------------------------- responsibility

    private void recompute(RootState rs) {
        List<PeerId> before = rs.responsible;
        rs.responsible = placement.responsible(book.of(rs.root), rs.key);
        rs.selfResponsible = rs.responsible.contains(self);
        rs.farthest = rs.responsible.isEmpty() ? null : keys.of(rs.responsible.getLast());
        rs.short_ = placement.isShort(book.of(rs.root), rs.key);
        if (!before.equals(rs.responsible)) {
            for (PeerId p : before) {
                Set<Cid> set = rootsByPeer.get(p);
                if (set != null) {
                    set.remove(rs.root);
                    if (set.isEmpty()) {
                        rootsByPeer.remove(p);
                    }
                }
            }
            for (PeerId p : rs.responsible) {
                if (!p.equals(self)) {
                    rootsByPeer.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(rs.root);
                }
            }
        }
    }

    /** Starts tracking {@code root} when this node is responsible for it or holds it. */
    private void consider(Cid root) {
        if (book.refCount(root) == 0) {
            return;
        }
        KadKey key = keys.of(root);
        boolean held = localRoots.contains(root);
        if (!held && !(cfg.repair() && placement.responsible(book.of(root), key).contains(self))) {
            return;
        }
        RootState rs = new RootState(root, keys.of(root));
        roots.put(root, rs);
        Set<Cid> dag = blocks.has(root) ? heldBlocks.walk(root) : null;
        if (dag != null) {
            complete(rs, dag);
        }
        maintain(rs);
    }

    /**
     * Every subscribed root not tracked yet: is this node responsible now? Roots of a domain are
     * pre-filtered by {@link PeerIndex#sparseLevels}, so a scan costs one pass over the peers and
     * one prefix comparison per root, and the exact check runs only near this node's key.
     */
    private void scan() {
        if (!cfg.repair()) {
            return;
        }
        if (now() < settledAt) {
            scanPending = true;
            return;
        }
        scanPending = false;
        KadKey me = keys.of(self);
        Map<String, boolean[]> sparse = new HashMap<>();
        for (Subscription s : List.copyOf(book.all())) {
            if (!s.byDomain()) {
                if (s.servers().contains(self)) {
                    s.roots().forEach(this::considerIfNew);
                }
                continue;
            }
            PeerIndex idx = placement.index(s.domain());
            if (idx == null || !idx.contains(self)) {
                continue;
            }
            boolean[] levels =
                    sparse.computeIfAbsent(
                            s.domain() + "/" + s.factor(),
                            d -> idx.sparseLevels(me, s.factor(), placement::placeable));
            for (Cid root : s.roots()) {
                if (levels[me.commonPrefixLength(keys.of(root))]) {
                    considerIfNew(root);
                }
            }
        }
    }

    private void considerIfNew(Cid root) {
        if (!roots.containsKey(root)) {
            consider(root);
        }
    }

    void maintain(RootState rs) {
        maintain(rs, true);
    }

    /** Recomputes one root's servers (when asked) and does what this node's part is. */
    private void maintain(RootState rs, boolean recompute) {
        long now = now();
        if (recompute || rs.computedAt == 0) {
            recompute(rs);
            rs.computedAt = now;
        }
        if (book.refCount(rs.root) == 0) {
            if (rs.releaseAt < 0) {
                rs.releaseAt = now + cfg.gcGrace().toMillis();
                schedule(rs.releaseAt);
            } else if (now >= rs.releaseAt) {
                release(rs, Kind.COLLECTED, "no subscription needs " + rs.root + " any more");
            }
            return;
        }
        rs.releaseAt = -1;
        reportShortage(rs);
        if (!cfg.repair()) {
            if (rs.complete()) {
                audits.periodic(rs, now);
            }
            return;
        }
        if (rs.selfResponsible) {
            if (!rs.complete()) {
                fetch(rs);
                return;
            }
            for (PeerId p : rs.responsible) {
                if (!p.equals(self)) {
                    activate(rs, p, now);
                }
            }
            audits.periodic(rs, now);
            return;
        }
        if (!rs.complete()) {
            if (rs.fetchId == 0) {
                untrack(rs);
            }
            return;
        }
        // Hand-off before drop: every active server must have proved it holds the root.
        boolean allVerified = !rs.responsible.isEmpty();
        List<PeerId> toChallenge = new ArrayList<>();
        for (PeerId p : rs.responsible) {
            RootState.Holder h = rs.holder(p);
            boolean verified = h.verifiedAt > 0 && now - h.verifiedAt < verifiedFor;
            if (!verified) {
                allVerified = false;
                if (h.claimedAt > 0 && !challenger.pending(rs.root, p)) {
                    toChallenge.add(p);
                } else if (h.claimedAt == 0) {
                    activate(rs, p, now);
                }
            }
        }
        if (allVerified && !rs.short_) {
            release(rs, Kind.HANDED_OFF, rs.root + " handed over to " + rs.responsible);
            return;
        }
        if (!toChallenge.isEmpty()) {
            audits.challenge(rs, toChallenge, false);
        }
    }

    private void reportShortage(RootState rs) {
        if (now() < settledAt) {
            return; // a node just started knows few peers yet: not a shortage
        }
        if (rs.short_ && !rs.underReported) {
            rs.underReported = true;
            report(
                    Kind.UNDER_REPLICATED,
                    Level.ERROR,
                    rs.root,
                    null,
                    rs.root
                            + ": only "
                            + rs.responsible.size()
                            + " eligible servers reachable for factor "
                            + book.of(rs.root).stream()
                                    .mapToInt(Subscription::factor)
                                    .max()
                                    .orElse(0)
                            + "; holding on those and repairing when servers return");
        } else if (!rs.short_ && rs.underReported) {
            rs.underReported = false;
            report(
                    Kind.REPLICATION_RESTORED,
                    Level.INFO,
                    rs.root,
                    null,
                    rs.root + ": enough servers again: " + rs.responsible);
        }
    }

    private void fetch(RootState rs) {
        if (rs.fetchId != 0) {
            return;
        }
        Set<PeerId> providers = new LinkedHashSet<>();
        for (PeerId p : rs.responsible) {
            RootState.Holder h = rs.holders.get(p);
            if (!p.equals(self) && h != null && h.claimedAt > 0) {
                providers.add(p);
            }
        }
        rs.holders.forEach(
                (p, h) -> {
                    if (h.claimedAt > 0 && placement.isLive(p)) {
                        providers.add(p);
                    }
                });
        rs.askers.forEach(
                p -> {
                    if (placement.isLive(p)) {
                        providers.add(p);
                    }
                });
        for (PeerId p : rs.responsible) {
            if (!p.equals(self)) {
                providers.add(p);
            }
        }
        rs.fetchId = nextId++;
        fetches.put(rs.fetchId, rs.root);
        actions.add(new Fetch(rs.fetchId, rs.root, List.copyOf(providers)));
    }

    /**
     * Asks {@code p} to hold the root, unless it claimed or proved it, or was asked recently. A
     * server that leaves {@link #UNANSWERED_LIMIT} requests in a row unanswered (an honest node
     * always answers, if only "missing") counts as timed out: otherwise a peer that ignores us
     * would stay an active server that never holds the root, and never be challenged. A "missing"
     * answer is not held against it: honest nodes may see another order for a while.
     */
    private void activate(RootState rs, PeerId p, long now) {
        RootState.Holder h = rs.holder(p);
        if (h.claimedAt > 0 || now - h.replicateSentAt < cfg.replicateRetry().toMillis()) {
            return;
        }
        if (h.unanswered >= UNANSWERED_LIMIT) {
            h.unanswered = 0;
            audits.unanswered(rs, p, UNANSWERED_LIMIT);
            return;
        }
        h.unanswered++;
        h.replicateSentAt = now;
        toReplicate.computeIfAbsent(p, x -> new ArrayList<>()).add(rs.root);
    }

    private void complete(RootState rs, Set<Cid> dag) {
        rs.dag = dag;
        localRoots.add(rs.root);
        heldBlocks.hold(dag);
        actions.add(new Pin(rs.root));
        if (!rs.askers.isEmpty()) {
            for (PeerId p : rs.askers) {
                send(p, new Holding(0, List.of(rs.root), List.of()));
            }
            rs.askers.clear();
        }
    }

    private void release(RootState rs, Kind kind, String why) {
        Set<PeerId> tell = new LinkedHashSet<>(rs.responsible);
        rs.holders.forEach(
                (p, h) -> {
                    if (h.claimedAt > 0) {
                        tell.add(p);
                    }
                });
        tell.remove(self);
        for (PeerId p : tell) {
            if (placement.isLive(p)) {
                send(p, new Holding(0, List.of(), List.of(rs.root)));
            }
        }
        if (rs.complete()) {
            actions.add(new Unpin(rs.root));
            heldBlocks.release(rs.dag).forEach(c -> actions.add(new DurabilityAction.DropBlock(c)));
            rs.dag = null;
        }
        localRoots.remove(rs.root);
        report(kind, Level.INFO, rs.root, null, why);
        untrack(rs);
    }

    private void untrack(RootState rs) {
        roots.remove(rs.root);
        for (PeerId p : rs.responsible) {
            Set<Cid> set = rootsByPeer.get(p);
            if (set != null) {
                set.remove(rs.root);
                if (set.isEmpty()) {
                    rootsByPeer.remove(p);
                }
            }
        }
        if (rs.fetchId != 0) {
            fetches.remove(rs.fetchId);
        }
    }

    // ---------------------------------------------------------------- messages

    private void onHello(PeerId from, Hello h) {
        if (placement.domain(from, h.domain())) {
            routingChanged(); // the domain's order changed
        }
    }

    private void onReplicate(PeerId from, Replicate r) {
        List<Cid> held = new ArrayList<>();
        List<Cid> missing = new ArrayList<>();
        boolean unknown = false;
        for (Cid root : r.roots()) {
            RootState rs = roots.get(root);
            if (rs == null) {
                KadKey key = keys.of(root);
                if (book.refCount(root) == 0
                        || !cfg.repair()
                        || !placement.accepts(book.of(root), key, cfg.acceptSlack())) {
                    unknown |= book.refCount(root) == 0;
                    missing.add(root);
                    continue;
                }
                rs = new RootState(root, keys.of(root));
                roots.put(root, rs);
                Set<Cid> dag = blocks.has(root) ? heldBlocks.walk(root) : null;
                if (dag != null) {
                    complete(rs, dag);
                }
            }
            rs.holder(from).claimedAt = now();
            if (rs.complete()) {
                held.add(root);
            } else {
                missing.add(root);
                rs.askers.add(from);
                recompute(rs);
                fetch(rs);
            }
        }
        send(from, new Holding(r.id(), held, missing));
        if (unknown) {
            send(from, records.summary()); // we may lack its subscription
        }
    }

    private void onHolding(PeerId from, Holding h) {
        long now = now();
        for (Cid root : h.held()) {
            RootState rs = roots.get(root);
            if (rs == null) {
                continue;
            }
            RootState.Holder hd = rs.holder(from);
            hd.claimedAt = now;
            hd.unanswered = 0;
            boolean verified = hd.verifiedAt > 0 && now - hd.verifiedAt < verifiedFor;
            boolean newReplica = h.id() == 0; // announced after a fetch
            if (rs.complete()
                    && !verified
                    && (newReplica
                            || !rs.selfResponsible
                            || hd.lastOutcome != ChallengeOutcome.STORED)
                    && !challenger.pending(root, from)) {
                // Verify a new replica, a holder never checked, or one that failed its last
                // challenge and claims again, at once: a liar is caught before the data relies on
                // it (a dropper re-claiming is caught again each time, not once per audit
                // interval), and a hand-off waits for this proof.
                audits.challenge(rs, List.of(from), false);
            }
        }
        for (Cid root : h.missing()) {
            if (h.id() != 0) {
                Challenger.Round done = challenger.withdraw(from, h.id());
                if (done != null) {
                    audits.judge(done);
                }
            }
            RootState rs = roots.get(root);
            if (rs != null) {
                RootState.Holder hd = rs.holder(from);
                hd.claimedAt = 0;
                hd.verifiedAt = 0;
                hd.unanswered = 0; // it answered: honest nodes may see another order for a while
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    RootState root(Cid c) {
        return roots.get(c);
    }

    /** Tracked roots {@code p} is an active server of, or null. */
    Set<Cid> rootsActiveFor(PeerId p) {
        return rootsByPeer.get(p);
    }

    Placement placement() {
        return placement;
    }

    long nextId() {
        return nextId++;
    }

    private PeerId randomPeer() {
        if (placement.size() < 2) {
            return null;
        }
        PeerId p = placement.at(random.nextInt(placement.size()));
        return p.equals(self) ? null : p;
    }

    void send(PeerId to, DurabilityMessage m) {
        actions.add(new Send(to, m));
    }

    void report(Kind kind, Level level, Cid root, PeerId peer, String message) {
        actions.add(new Report(new DurabilityEvent(now(), kind, level, root, peer, message)));
    }

    void schedule(long at) {
        if (!started) {
            return;
        }
        if (at < timerAt) {
            timerAt = at;
            actions.add(new ScheduleTimer(at));
        }
    }
}
