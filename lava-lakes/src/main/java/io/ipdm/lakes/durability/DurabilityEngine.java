package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityAction.Fetch;
import io.ipdm.lakes.durability.DurabilityAction.Report;
import io.ipdm.lakes.durability.DurabilityAction.ScheduleTimer;
import io.ipdm.lakes.durability.DurabilityAction.Send;
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
import java.util.List;
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
    private final Responsibility resp;
    private final HeldBlocks heldBlocks;
    private final RecordSync records;
    private final List<DurabilityAction> actions = new ArrayList<>();

    private final long maintenanceMs;

    private long nextId = 1;
    private long nextMaintenance;
    private long nextScan;
    private long timerAt = Long.MAX_VALUE;
    private boolean started;

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
        this.book = new SubscriptionBook(cfg.authors(), keys);
        this.ranking = new Ranking(cfg);
        // Late answers are recognised for the span of all retries plus as long again.
        this.challenger =
                new Challenger(blocks, 2 * Audits.ATTEMPTS * cfg.challengeTimeout().toMillis());
        this.heldBlocks = new HeldBlocks(blocks, cfg.cacheBlocks());
        this.records = new RecordSync(book, codec, this::send);
        this.maintenanceMs = cfg.maintenanceInterval().toMillis();
        this.placement = new Placement(self, cfg.domain(), keys, ranking, this::now);
        this.audits = new Audits(this, cfg, random, challenger, ranking);
        this.resp =
                new Responsibility(
                        this,
                        self,
                        cfg,
                        blocks,
                        keys,
                        book,
                        placement,
                        challenger,
                        audits,
                        heldBlocks,
                        records);
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
        resp.localRoots.addAll(pinnedRoots);
        long now = now();
        // Jitter spreads the maintenance of many nodes started together.
        nextMaintenance = now + 1 + random.nextLong(maintenanceMs);
        nextScan = now + cfg.scanInterval().toMillis();
        resp.settledAt = now + maintenanceMs;
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
        resp.observeView(now());
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
        for (RootState rs : resp.roots.values()) {
            if (rs.short_ || rs.farthest == null || rs.key.compareDistance(pk, rs.farthest) < 0) {
                if (entered == null) {
                    entered = new ArrayList<>();
                }
                entered.add(rs);
            }
        }
        if (entered != null) {
            entered.forEach(resp::maintain);
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
        Set<Cid> affected = resp.rootsByPeer.get(peer);
        if (affected != null) {
            for (Cid c : List.copyOf(affected)) {
                RootState rs = resp.roots.get(c);
                if (rs != null) {
                    // It may come back without its disk or its state: it must claim again.
                    rs.holders.remove(peer);
                    resp.maintain(rs);
                }
            }
        }
    }

    /** The routing table changed in a way peer events do not show: recompute everything now. */
    public void routingChanged() {
        for (RootState rs : List.copyOf(resp.roots.values())) {
            resp.maintain(rs);
        }
        resp.scan();
    }

    /** Undecodable input or a broken limit from {@code peer} (the adapter's codec said why). */
    public void onMalformed(PeerId peer, String reason) {
        report(Kind.MALFORMED_MESSAGE, Level.WARN, null, peer, reason);
        audits.penalize(peer, Ranking.MALFORMED_POINTS);
    }

    public void onMessage(PeerId from, DurabilityMessage m) {
        if (ranking.isolated(from) && !(m instanceof Challenge)) {
            // A serial offender is ignored, but its challenges are still answered (rate-limited)
            // and its requests refused in so many words: silence would count as a timeout against
            // us, and a wrongly isolated honest peer must not start a feud.
            if (m instanceof Replicate r) {
                send(from, new Holding(r.id(), List.of(), List.of(), r.roots()));
            }
            return;
        }
        switch (m) {
            case Hello h -> onHello(from, h);
            case Replicate r -> resp.onReplicate(from, r);
            case Holding h -> resp.onHolding(from, h);
            case Challenge c -> audits.onChallenge(from, c);
            case Proof p -> {
                Challenger.Round done = challenger.answer(from, p.id(), p.proofs());
                if (done != null) {
                    audits.judge(done);
                } else if (challenger.late(from, p.id(), now())) {
                    audits.late(from);
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
                deferScan = false;
                if (scanDue) {
                    scanDue = false;
                    resp.scan();
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
            RootState rs = resp.roots.get(root);
            if (rs != null) {
                resp.maintain(rs);
            }
        }
        if (!r.changedRoots().isEmpty()) {
            for (Cid root : r.changedRoots()) {
                if (resp.localRoots.contains(root)) {
                    resp.considerIfNew(root);
                }
            }
            if (deferScan) {
                scanDue = true;
            } else {
                resp.scan();
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
            resp.observeView(now);
            for (RootState rs : List.copyOf(resp.roots.values())) {
                // Churn, rank and subscription events recompute at once; the timer only catches
                // what decays (ranks recovering), so it recomputes at the scan interval.
                resp.maintain(rs, now - rs.computedAt >= cfg.scanInterval().toMillis());
            }
            if (cfg.repair() && (now >= nextScan || (resp.scanPending && now >= resp.settledAt))) {
                nextScan = now + cfg.scanInterval().toMillis();
                resp.scan();
                PeerId p = randomPeer();
                if (p != null) {
                    send(p, records.summary());
                }
            }
        }
        long waitingDue = resp.waiting.isEmpty() ? Long.MAX_VALUE : resp.wakeWaiting(now);
        if (started) {
            schedule(Math.min(Math.min(nextMaintenance, challenger.nextDeadline()), waitingDue));
        }
    }

    /** A fetch asked by {@link Fetch} ended; {@code ok} when every block was stored. */
    public void onFetchResult(long id, boolean ok, String detail) {
        Cid root = resp.fetches.remove(id);
        RootState rs = root == null ? null : resp.roots.get(root);
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
        resp.complete(rs, dag);
        report(
                Kind.FETCHED,
                Level.INFO,
                root,
                null,
                "holding " + root + " (" + dag.size() + " blocks)");
        resp.maintain(rs);
    }

    /** A block was stored locally (an import, a put): a subscribed root may now be complete. */
    public void blockAdded(Cid cid) {
        if (book.refCount(cid) > 0 && !resp.roots.containsKey(cid)) {
            resp.localRoots.add(cid); // put here (an import): this node holds it until handed over
            resp.consider(cid);
        }
        RootState rs = resp.roots.get(cid);
        if (rs != null && !rs.complete() && rs.fetchId == 0) {
            Set<Cid> dag = heldBlocks.walk(cid);
            if (dag != null) {
                resp.complete(rs, dag);
                resp.maintain(rs);
            }
        }
    }

    /** A block vanished from the local store (disk loss, manual delete): repair what needs it. */
    public void blockRemoved(Cid cid) {
        if (!heldBlocks.vanished(cid)) {
            return;
        }
        for (RootState rs : List.copyOf(resp.roots.values())) {
            if (rs.complete() && rs.dag.contains(cid)) {
                for (Cid b : rs.dag) {
                    if (!b.equals(cid)) {
                        heldBlocks.unref(b);
                    }
                }
                rs.dag = null;
                resp.maintain(rs);
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
        if (!resp.toReplicate.isEmpty()) {
            resp.toReplicate.forEach(
                    (p, list) -> {
                        for (int i = 0; i < list.size(); i += codec.maxItems()) {
                            List<Cid> part =
                                    list.subList(i, Math.min(list.size(), i + codec.maxItems()));
                            send(p, new Replicate(nextId++, part));
                        }
                    });
            resp.toReplicate.clear();
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
        RootState rs = resp.roots.get(root);
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
        for (RootState rs : resp.roots.values()) {
            if (rs.complete()) {
                out.add(rs.root);
            }
        }
        return out;
    }

    /** Roots with fewer eligible servers than their factor, as seen from here. */
    public List<Cid> underReplicated() {
        List<Cid> out = new ArrayList<>();
        for (RootState rs : resp.roots.values()) {
            if (rs.short_) {
                out.add(rs.root);
            }
        }
        return out;
    }

    /** Whether {@code peer} is an active server of some root this node tracks. */
    public boolean isActiveServer(PeerId peer) {
        return resp.rootsByPeer.containsKey(peer);
    }

    /** Roots this node tracks (holds, fetches, or hands off). */
    public int trackedRoots() {
        return resp.roots.size();
    }

    public int challengesInFlight() {
        return challenger.inFlight();
    }

    public int livePeers() {
        return placement.size() - 1;
    }

    // ---------------------------------------------------------------- messages

    private void onHello(PeerId from, Hello h) {
        if (placement.domain(from, h.domain())) {
            routingChanged(); // the domain's order changed
        }
    }

    // ---------------------------------------------------------------- plumbing

    void maintain(RootState rs) {
        resp.maintain(rs);
    }

    void act(DurabilityAction a) {
        actions.add(a);
    }

    RootState root(Cid c) {
        return resp.roots.get(c);
    }

    /** Tracked roots {@code p} is an active server of, or null. */
    Set<Cid> rootsActiveFor(PeerId p) {
        return resp.rootsByPeer.get(p);
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
