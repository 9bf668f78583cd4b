package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityAction.Fetch;
import io.ipdm.lakes.durability.DurabilityAction.Pin;
import io.ipdm.lakes.durability.DurabilityAction.Unpin;
import io.ipdm.lakes.durability.DurabilityEvent.Kind;
import io.ipdm.lakes.durability.DurabilityEvent.Level;
import io.ipdm.lakes.durability.DurabilityMessage.Holding;
import io.ipdm.lakes.durability.DurabilityMessage.Replicate;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The engine's responsibility for roots: which servers are active for each tracked root ({@link
 * Placement}), what this node's part is (fetch on entering, activate the other active servers, hand
 * off before dropping, collect what no subscription needs), and the replication messages ({@code
 * Replicate}, {@code Holding}). Part of {@link DurabilityEngine}, which feeds it events and carries
 * out its actions; not thread-safe.
 */
final class Responsibility {
    /** Replicate requests a server may leave unanswered in a row before it counts as timed out. */
    static final int UNANSWERED_LIMIT = 3;

    private final DurabilityEngine e;
    private final PeerId self;
    private final DurabilityConfig cfg;
    private final BlockAccess blocks;
    private final KeySpace keys;
    private final SubscriptionBook book;
    private final Placement placement;
    private final Challenger challenger;
    private final Audits audits;
    private final HeldBlocks heldBlocks;
    private final RecordSync records;

    /** How long a passed challenge counts as proof of holding (for a hand-off). */
    private final long verifiedFor;

    /**
     * How long a request or challenge from a peer keeps a copy within the slack ({@code wantedAt}).
     */
    private final long wantedFor;

    /** Roots this node, unasked, waits to fetch ({@link #ownFetchDue}); woken by the timer. */
    final Set<RootState> waiting = new LinkedHashSet<>();

    /**
     * The most peers this node saw in the current and the previous window of two scan intervals: a
     * view far below it is degraded.
     */
    private int viewPeak;

    private int viewPeakBefore;
    private long viewPeakSince;

    final Map<Cid, RootState> roots = new LinkedHashMap<>();
    final Map<PeerId, Set<Cid>> rootsByPeer = new HashMap<>();
    final Map<Long, Cid> fetches = new HashMap<>();
    final Set<Cid> localRoots = new LinkedHashSet<>();

    /** Roots to ask each peer to hold, sent as one Replicate per peer when actions are drained. */
    final Map<PeerId, List<Cid>> toReplicate = new LinkedHashMap<>();

    /** Until then the peer view is too young to take up roots on one's own (agents may ask). */
    long settledAt;

    boolean scanPending;

    Responsibility(
            DurabilityEngine e,
            PeerId self,
            DurabilityConfig cfg,
            BlockAccess blocks,
            KeySpace keys,
            SubscriptionBook book,
            Placement placement,
            Challenger challenger,
            Audits audits,
            HeldBlocks heldBlocks,
            RecordSync records) {
        this.e = e;
        this.self = self;
        this.cfg = cfg;
        this.blocks = blocks;
        this.keys = keys;
        this.book = book;
        this.placement = placement;
        this.challenger = challenger;
        this.audits = audits;
        this.heldBlocks = heldBlocks;
        this.records = records;
        this.verifiedFor = 2 * cfg.challengeInterval().toMillis();
        this.wantedFor = 2 * verifiedFor;
    }

    void recompute(RootState rs) {
        List<PeerId> before = rs.responsible;
        List<Subscription> subs = subs(rs);
        if (rs.refusals && !refusalsCurrent(rs)) {
            rs.refusals = false;
        }
        if (rs.refusals) {
            // A server that refused this root recently is passed over: the next one is asked.
            long now = e.now();
            Predicate<PeerId> ok = p -> placement.placeable(p) && !refusing(rs, p, now);
            rs.responsible = placement.responsible(subs, rs.key, ok);
        } else {
            rs.responsible = placement.responsible(subs, rs.key);
        }
        // Refusers are not a shortage: they say servers closer to the root than this node knows
        // hold it (their view of the order is better); this node keeps its copy meanwhile.
        rs.short_ = placement.isShort(subs, rs.key);
        rs.selfResponsible = rs.responsible.contains(self);
        rs.farthest = rs.responsible.isEmpty() ? null : keys.of(rs.responsible.getLast());
        if (!before.equals(rs.responsible)) {
            if (!before.isEmpty()) {
                // The servers changed: so did, most likely, the order of whoever asked us to hold
                // the root, and its request no longer says it counts this node active.
                rs.wantedAt = 0;
            }
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

    /** {@code book.of(rs.root)}, looked up again only after the book changed. */
    private List<Subscription> subs(RootState rs) {
        if (rs.subsVersion != book.version()) {
            rs.subs = book.of(rs.root);
            rs.subsVersion = book.version();
        }
        return rs.subs;
    }

    private boolean refusing(RootState rs, PeerId p, long now) {
        RootState.Holder h = rs.holders.get(p);
        return h != null && h.refusedAt > 0 && now - h.refusedAt < verifiedFor;
    }

    private boolean refusalsCurrent(RootState rs) {
        long now = e.now();
        for (PeerId p : rs.holders.keySet()) {
            if (refusing(rs, p, now)) {
                return true;
            }
        }
        return false;
    }

    /** Starts tracking {@code root} when this node is responsible for it or holds it. */
    void consider(Cid root) {
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
    void scan() {
        if (!cfg.repair()) {
            return;
        }
        if (e.now() < settledAt || viewDegraded(e.now())) {
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
            KadKey[] rootKeys = book.rootKeys(s);
            for (int i = 0; i < rootKeys.length; i++) {
                if (levels[me.commonPrefixLength(rootKeys[i])]) {
                    considerIfNew(s.roots().get(i));
                }
            }
        }
    }

    void considerIfNew(Cid root) {
        if (!roots.containsKey(root)) {
            consider(root);
        }
    }

    void maintain(RootState rs) {
        maintain(rs, true);
    }

    /** Recomputes one root's servers (when asked) and does what this node's part is. */
    void maintain(RootState rs, boolean recompute) {
        long now = e.now();
        if (recompute || rs.computedAt == 0) {
            recompute(rs);
            rs.computedAt = now;
        }
        if (subs(rs).isEmpty()) {
            if (rs.releaseAt < 0) {
                rs.releaseAt = now + cfg.gcGrace().toMillis();
                e.schedule(rs.releaseAt);
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
                if (rs.fetchId == 0 && (!rs.askers.isEmpty() || ownFetchDue(rs, now))) {
                    fetch(rs);
                }
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
        if (allVerified && !rs.short_ && !stillWanted(rs, now)) {
            release(rs, Kind.HANDED_OFF, rs.root + " handed over to " + rs.responsible);
            return;
        }
        if (!toChallenge.isEmpty()) {
            audits.challenge(rs, toChallenge);
        }
    }

    /**
     * Whether this node, not active for the root in its own order, keeps its copy anyway: a peer
     * asked it to hold the root or challenged its copy lately (that peer's order counts it active)
     * and since then this node's own servers for the root did not change (a change, such as a
     * closer server returning, likely changed the asker's order too), and it is within its own
     * first {@code factor + acceptSlack}. Handing such a copy off only made the asker ask again
     * after {@code replicateRetry}, and the copy was fetched again.
     */
    private boolean stillWanted(RootState rs, long now) {
        return rs.wantedAt > 0
                && now - rs.wantedAt < wantedFor
                && placement.accepts(subs(rs), rs.key, cfg.acceptSlack());
    }

    /**
     * Whether this node, responsible for a root it lacks and not asked by any holder, fetches it
     * now. The holders ask the servers their order names at once ({@code Replicate}), so a repair
     * someone needs starts without this; fetching unasked is the fallback for holders that do not
     * know this node. The closest active server fetches at once; the k-th closest waits k/factor of
     * {@code replicateRetry}, so that a view that is wrong for a moment (a cold start, a routing
     * table still filling) changes, or a holder asks, before it costs a fetch. A node whose view is
     * degraded (it sees fewer than half the peers it saw lately: cut off, or its connections
     * breaking) fetches only when asked: its fetches would fail or duplicate the others'.
     */
    private boolean ownFetchDue(RootState rs, long now) {
        if (viewDegraded(now)) {
            rs.ownFetchSince = 0;
            waiting.remove(rs);
            return false;
        }
        if (rs.ownFetchSince == 0) {
            rs.ownFetchSince = now;
        }
        long due = ownFetchAt(rs);
        if (now >= due) {
            waiting.remove(rs);
            return true;
        }
        waiting.add(rs);
        e.schedule(due);
        return false;
    }

    private long ownFetchAt(RootState rs) {
        int rank = Math.max(0, rs.responsible.indexOf(self));
        return rs.ownFetchSince
                + cfg.replicateRetry().toMillis() * rank / Math.max(1, rs.responsible.size());
    }

    /** Maintains the roots whose unasked fetch is due; returns the next due time, or MAX_VALUE. */
    long wakeWaiting(long now) {
        long next = Long.MAX_VALUE;
        for (RootState rs : List.copyOf(waiting)) {
            long due = ownFetchAt(rs);
            if (due <= now) {
                maintain(rs, false);
            } else {
                next = Math.min(next, due);
            }
        }
        return next;
    }

    /**
     * Whether this node sees fewer than half the peers it saw at most within the last two to four
     * scan intervals (a smaller view that lasts longer is taken as the network's size).
     */
    boolean viewDegraded(long now) {
        int size = observeView(now);
        return 2 * size < Math.max(viewPeak, viewPeakBefore);
    }

    /** Notes how many peers this node sees now (on every peer event and maintenance). */
    int observeView(long now) {
        int size = placement.size();
        if (now - viewPeakSince >= 2 * cfg.scanInterval().toMillis()) {
            viewPeakBefore = viewPeak;
            viewPeak = 0;
            viewPeakSince = now;
        }
        viewPeak = Math.max(viewPeak, size);
        return size;
    }

    private void reportShortage(RootState rs) {
        if (e.now() < settledAt) {
            return; // a node just started knows few peers yet: not a shortage
        }
        if (rs.short_ && !rs.underReported) {
            rs.underReported = true;
            e.report(
                    Kind.UNDER_REPLICATED,
                    Level.ERROR,
                    rs.root,
                    null,
                    rs.root
                            + ": only "
                            + rs.responsible.size()
                            + " eligible servers reachable for factor "
                            + subs(rs).stream().mapToInt(Subscription::factor).max().orElse(0)
                            + "; holding on those and repairing when servers return");
        } else if (!rs.short_ && rs.underReported) {
            rs.underReported = false;
            e.report(
                    Kind.REPLICATION_RESTORED,
                    Level.INFO,
                    rs.root,
                    null,
                    rs.root + ": enough servers again: " + rs.responsible);
        }
    }

    void fetch(RootState rs) {
        if (rs.fetchId != 0) {
            return;
        }
        rs.ownFetchSince = 0;
        waiting.remove(rs);
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
        rs.fetchId = e.nextId();
        fetches.put(rs.fetchId, rs.root);
        e.act(new Fetch(rs.fetchId, rs.root, List.copyOf(providers)));
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

    void complete(RootState rs, Set<Cid> dag) {
        rs.dag = dag;
        localRoots.add(rs.root);
        heldBlocks.hold(dag);
        e.act(new Pin(rs.root));
        if (!rs.askers.isEmpty()) {
            for (PeerId p : rs.askers) {
                e.send(p, new Holding(0, List.of(rs.root), List.of()));
            }
            rs.askers.clear();
        }
    }

    void release(RootState rs, Kind kind, String why) {
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
                e.send(p, new Holding(0, List.of(), List.of(rs.root)));
            }
        }
        if (rs.complete()) {
            e.act(new Unpin(rs.root));
            heldBlocks.release(rs.dag).forEach(c -> e.act(new DurabilityAction.DropBlock(c)));
            rs.dag = null;
        }
        localRoots.remove(rs.root);
        e.report(kind, Level.INFO, rs.root, null, why);
        untrack(rs);
    }

    void untrack(RootState rs) {
        roots.remove(rs.root);
        waiting.remove(rs);
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

    /**
     * An agent asks this node to hold roots. Each is answered: held, missing (fetching now, or its
     * subscription is unknown here: pulled from the asker), or refused (outside this node's own
     * order, or maintenance off): the asker passes over a refuser instead of waiting on it.
     */
    void onReplicate(PeerId from, Replicate r) {
        List<Cid> held = new ArrayList<>();
        List<Cid> missing = new ArrayList<>();
        List<Cid> refused = new ArrayList<>();
        boolean unknown = false;
        for (Cid root : r.roots()) {
            RootState rs = roots.get(root);
            if (rs == null) {
                KadKey key = keys.of(root);
                if (book.refCount(root) == 0) {
                    unknown = true;
                    missing.add(root);
                    continue;
                }
                if (!cfg.repair() || !placement.accepts(book.of(root), key, cfg.acceptSlack())) {
                    refused.add(root);
                    continue;
                }
                rs = new RootState(root, keys.of(root));
                roots.put(root, rs);
                Set<Cid> dag = blocks.has(root) ? heldBlocks.walk(root) : null;
                if (dag != null) {
                    complete(rs, dag);
                }
            }
            rs.holder(from).claimedAt = e.now();
            if (rs.complete()) {
                held.add(root);
            } else {
                missing.add(root);
                rs.askers.add(from);
                recompute(rs);
                fetch(rs);
            }
            rs.wantedAt = e.now();
        }
        e.send(from, new Holding(r.id(), held, missing, refused));
        if (unknown) {
            e.send(from, records.summary()); // we may lack its subscription
        }
    }

    void onHolding(PeerId from, Holding h) {
        long now = e.now();
        for (Cid root : h.held()) {
            RootState rs = roots.get(root);
            if (rs == null) {
                continue;
            }
            RootState.Holder hd = rs.holder(from);
            hd.claimedAt = now;
            hd.unanswered = 0;
            hd.refusedAt = 0;
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
                audits.challenge(rs, List.of(from));
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
        for (Cid root : h.refused()) {
            RootState rs = roots.get(root);
            if (rs == null) {
                continue;
            }
            // Not a fault (its view of the order may differ, or it isolated us): not ranked, but
            // passed over for this root for a while, so the next server in the order is asked.
            // (Challenging every refused root to see whether the refuser holds it for others
            // was tried: a refused batch of many roots became a challenge flood.)
            RootState.Holder hd = rs.holder(from);
            hd.claimedAt = 0;
            hd.verifiedAt = 0;
            hd.unanswered = 0;
            hd.refusedAt = now;
            rs.refusals = true;
            if (rs.responsible.contains(from)) {
                maintain(rs);
            }
        }
    }
}
