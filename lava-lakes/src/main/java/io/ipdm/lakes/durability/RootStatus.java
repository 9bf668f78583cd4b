package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this node knows of one root: for {@code ipdm net status}.
 *
 * @param factor the highest factor any current subscription asks (0: none, it is being collected)
 * @param order the servers in the deterministic order, closest to the root's key first, with their
 *     role
 * @param holdsLocally whether this node holds the whole DAG
 * @param underReplicated fewer eligible servers are reachable than the factor asks
 * @param hearsClaims whether this node tracks the root and so hears its servers' claims: the
 *     servers that hold it, fetch it or hand it off do; a reserve, or a node that is no server of
 *     the root, is sent no claims, so who holds it is not known there (claim times show 0 and
 *     {@link #holders()} is -1)
 */
public record RootStatus(
        Cid root,
        int factor,
        int subscriptions,
        boolean holdsLocally,
        boolean underReplicated,
        boolean hearsClaims,
        List<Server> order) {
    public RootStatus {
        order = List.copyOf(order);
    }

    public enum Role {
        ACTIVE,
        RESERVE,
        DOWN,
        EXCLUDED
    }

    /**
     * One server as seen from here.
     *
     * @param claimsAtMillis when it last said it holds the root (0: never); for a server that went
     *     down, its last claim before it went
     * @param lastChallenge outcome of the last challenge this node sent it (null: none)
     * @param downSinceMillis when a {@link Role#DOWN} server that was an active server of the root
     *     went down (0: not known to have gone down while active); shown for {@link
     *     DownPeers#FORGET_AFTER} while the next servers in the order repair the root
     */
    public record Server(
            PeerId peer,
            boolean self,
            Role role,
            long claimsAtMillis,
            ChallengeOutcome lastChallenge,
            long lastChallengeAtMillis,
            long downSinceMillis) {}

    /**
     * A storage peer that went down and has not come back (remembered for {@link
     * DownPeers#FORGET_AFTER}).
     *
     * @param held the roots it was an active server of when it went
     */
    public record Departed(PeerId peer, long sinceMillis, List<Cid> held) {
        public Departed {
            held = List.copyOf(held);
        }
    }

    /** This node's view of a root (tracked or not). */
    static RootStatus of(
            Cid root,
            RootState rs,
            List<Subscription> subs,
            KadKey key,
            Placement placement,
            Ranking ranking,
            KeySpace keys,
            PeerId self,
            int slack,
            DownPeers departed,
            long now) {
        int factor = subs.stream().mapToInt(Subscription::factor).max().orElse(0);
        Set<PeerId> active =
                new LinkedHashSet<>(rs != null ? rs.responsible : placement.responsible(subs, key));
        Set<PeerId> listed = new LinkedHashSet<>(active);
        for (Subscription s : subs) {
            listed.addAll(placement.order(s, key, s.factor() + slack, p -> true));
            listed.addAll(s.servers()); // explicit servers show even when down
        }
        // servers that held it and went down show until forgotten, so the repair can be followed
        Map<PeerId, DownPeers.Down> gone = departed.heldBy(root, now);
        listed.addAll(gone.keySet());
        List<PeerId> sorted = new ArrayList<>(listed);
        sorted.sort((a, b) -> key.compareDistance(keys.of(a), keys.of(b)));
        List<Server> servers = new ArrayList<>();
        for (PeerId p : sorted) {
            RootState.Holder h = rs == null ? null : rs.holders.get(p);
            DownPeers.Down d = placement.isLive(p) ? null : gone.get(p);
            Role role =
                    active.contains(p)
                            ? Role.ACTIVE
                            : d != null
                                    ? Role.DOWN
                                    : ranking.isolated(p) || !ranking.eligible(p, now)
                                            ? Role.EXCLUDED
                                            : placement.isLive(p) ? Role.RESERVE : Role.DOWN;
            servers.add(
                    new Server(
                            p,
                            p.equals(self),
                            role,
                            h != null ? h.claimedAt : d != null ? d.held().get(root) : 0,
                            h == null ? null : h.lastOutcome,
                            h == null ? 0 : h.lastOutcomeAt,
                            d == null ? 0 : d.sinceMillis()));
        }
        return new RootStatus(
                root,
                factor,
                subs.size(),
                rs != null && rs.complete(),
                rs != null ? rs.short_ : !subs.isEmpty() && placement.isShort(subs, key),
                rs != null,
                servers);
    }

    /**
     * Active servers that claimed or proved holding the root, this node included; -1 when this node
     * {@linkplain #hearsClaims() hears no claims} (a reserve would otherwise say 0 while the active
     * servers hold it).
     */
    public long holders() {
        if (!hearsClaims) {
            return -1;
        }
        return order.stream()
                .filter(
                        s ->
                                s.role() == Role.ACTIVE
                                        && (s.self() ? holdsLocally : s.claimsAtMillis() > 0))
                .count();
    }
}
