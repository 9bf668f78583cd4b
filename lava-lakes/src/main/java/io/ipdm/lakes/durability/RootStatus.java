package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.List;

/**
 * What this node knows of one root: for {@code ipdm net status}.
 *
 * @param factor the highest factor any current subscription asks (0: none, it is being collected)
 * @param order the servers in the deterministic order, closest to the root's key first, with their
 *     role
 * @param holdsLocally whether this node holds the whole DAG
 * @param underReplicated fewer eligible servers are reachable than the factor asks
 */
public record RootStatus(
        Cid root,
        int factor,
        int subscriptions,
        boolean holdsLocally,
        boolean underReplicated,
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
     * @param claimsAtMillis when it last said it holds the root (0: never)
     * @param lastChallenge outcome of the last challenge this node sent it (null: none)
     */
    public record Server(
            PeerId peer,
            boolean self,
            Role role,
            long claimsAtMillis,
            ChallengeOutcome lastChallenge,
            long lastChallengeAtMillis) {}

    /** Active servers that claimed or proved holding the root, this node included. */
    public long holders() {
        return order.stream()
                .filter(
                        s ->
                                s.role() == Role.ACTIVE
                                        && (s.self() ? holdsLocally : s.claimsAtMillis() > 0))
                .count();
    }
}
