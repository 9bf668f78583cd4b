package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Who should hold a root, as this node sees it: the live peers (this node included) indexed by key,
 * their domains, and the deterministic order of a subscription's servers for a root (explicit
 * servers, or the domain's live nodes, by XOR distance to the root's key). Placement skips peers
 * the ranking excludes. Not thread-safe: owned by the engine.
 */
final class Placement {
    private final PeerId self;
    private final KeySpace keys;
    private final Ranking ranking;
    private final LongSupplier clock;
    private final PeerIndex live;
    private final Map<String, PeerIndex> domains = new HashMap<>();
    private final Map<PeerId, String> domainOf = new HashMap<>();

    Placement(PeerId self, String domain, KeySpace keys, Ranking ranking, LongSupplier clock) {
        this.self = self;
        this.keys = keys;
        this.ranking = ranking;
        this.clock = clock;
        this.live = new PeerIndex(keys);
        live.add(self);
        if (!domain.isEmpty()) {
            domainOf.put(self, domain);
            domains.computeIfAbsent(domain, d -> new PeerIndex(keys)).add(self);
        }
    }

    /** A peer is up; false when it was known already. */
    boolean up(PeerId p) {
        return !p.equals(self) && live.add(p);
    }

    /** A peer is down; false when it was not known. */
    boolean down(PeerId p) {
        if (p.equals(self) || !live.remove(p)) {
            return false;
        }
        String d = domainOf.remove(p);
        if (d != null) {
            domains.get(d).remove(p);
        }
        return true;
    }

    /** A live peer named its domain; false when the peer is not live. */
    boolean domain(PeerId p, String domain) {
        if (!live.contains(p)) {
            return false;
        }
        String old = domainOf.put(p, domain);
        if (old != null) {
            domains.get(old).remove(p);
        }
        if (!domain.isEmpty()) {
            domains.computeIfAbsent(domain, d -> new PeerIndex(keys)).add(p);
        } else {
            domainOf.remove(p);
        }
        return true;
    }

    boolean isLive(PeerId p) {
        return live.contains(p);
    }

    /** Live peers, this node included. */
    int size() {
        return live.size();
    }

    PeerId at(int i) {
        return live.at(i);
    }

    /** This node itself, or a live peer the ranking lets take new replicas. */
    boolean placeable(PeerId p) {
        return p.equals(self) || (live.contains(p) && ranking.eligible(p, clock.getAsLong()));
    }

    /** The first {@code n} servers of {@code s}'s order for {@code key} accepted by {@code ok}. */
    List<PeerId> order(Subscription s, KadKey key, int n, Predicate<PeerId> ok) {
        if (s.byDomain()) {
            PeerIndex idx = index(s.domain());
            return idx == null ? List.of() : idx.closest(key, n, ok);
        }
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : s.servers()) {
            if ((p.equals(self) || live.contains(p)) && ok.test(p)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> key.compareDistance(keys.of(a), keys.of(b)));
        return out.size() > n ? out.subList(0, n) : out;
    }

    /** The union over {@code subs} of their first {@code factor} placeable servers, by distance. */
    List<PeerId> responsible(List<Subscription> subs, KadKey key) {
        return responsible(subs, key, this::placeable);
    }

    /** As above, placing only on servers {@code ok} accepts (placeable ones, minus refusers). */
    List<PeerId> responsible(List<Subscription> subs, KadKey key, Predicate<PeerId> ok) {
        if (subs.size() == 1) {
            return order(subs.get(0), key, subs.get(0).factor(), ok);
        }
        Set<PeerId> union = new LinkedHashSet<>();
        for (Subscription s : subs) {
            union.addAll(order(s, key, s.factor(), ok));
        }
        List<PeerId> out = new ArrayList<>(union);
        out.sort((a, b) -> key.compareDistance(keys.of(a), keys.of(b)));
        return out;
    }

    /** Whether some subscription has fewer placeable servers than its factor. */
    boolean isShort(List<Subscription> subs, KadKey key) {
        boolean isShort = false;
        for (Subscription s : subs) {
            if (order(s, key, s.factor(), this::placeable).size() < s.factor()) {
                isShort = true;
            }
        }
        return isShort;
    }

    /**
     * Whether this node may hold a root when an agent asks: within {@code factor + slack} of some
     * order, counting every live server that is not isolated (views of rank may differ).
     */
    boolean accepts(List<Subscription> subs, KadKey key, int slack) {
        for (Subscription s : subs) {
            if (order(s, key, s.factor() + slack, p -> !ranking.isolated(p)).contains(self)) {
                return true;
            }
        }
        return false;
    }

    /** The live nodes of a domain ("" is every storage node), or null when none is known. */
    PeerIndex index(String domain) {
        return domain.isEmpty() ? live : domains.get(domain);
    }
}
