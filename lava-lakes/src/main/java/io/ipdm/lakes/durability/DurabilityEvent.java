package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;

/**
 * A reportable event: {@code root} and {@code peer} are null when they do not apply.
 *
 * @param atMillis when, by the engine's clock
 */
public record DurabilityEvent(
        long atMillis, Kind kind, Level level, Cid root, PeerId peer, String message) {
    public enum Level {
        INFO,
        WARN,
        ERROR
    }

    public enum Kind {
        /** A subscription record was accepted (new or a higher version). */
        SUBSCRIPTION_ACCEPTED,
        /** A record from an author not on the allow-list: refused. */
        SUBSCRIPTION_UNAUTHORIZED,
        /** A record whose signature does not verify: refused. */
        SUBSCRIPTION_FORGED,
        /** A record whose value is not a canonical subscription: refused. */
        SUBSCRIPTION_MALFORMED,
        /** A held version number reused with different content: refused, both kept as evidence. */
        SUBSCRIPTION_CONFLICT,
        /** Fewer servers reachable than the factor asks: the best possible is done. */
        UNDER_REPLICATED,
        /** Enough servers are reachable again after {@link #UNDER_REPLICATED}. */
        REPLICATION_RESTORED,
        /** This node fetched a root it is now responsible for. */
        FETCHED,
        /** A fetch failed; it is retried at the next maintenance. */
        FETCH_FAILED,
        /** This node handed a root over to verified holders and dropped it. */
        HANDED_OFF,
        /** A root no subscription needs was collected after the grace period. */
        COLLECTED,
        /** A challenged holder did not answer as a holder of the data would. */
        CHALLENGE_FAILED,
        /** A peer fell below the placement rank: no new replicas go to it. */
        PEER_LOW_RANKED,
        /** A serial offender: excluded from placement and ignored. */
        PEER_ISOLATED,
        /** A peer sent challenges faster than the limit: refused and penalized. */
        CHALLENGE_FLOOD,
        /** A peer sent a malformed message or broke a limit: penalized. */
        MALFORMED_MESSAGE
    }
}
