package io.ipdm.lakes.node;

import java.time.Duration;

/**
 * How a storage node takes part in the durability protocols ({@link DurabilityService}); {@code
 * ipdm node}'s durability flags and config keys map onto it one to one.
 *
 * @param repairInterval how often the node recomputes what it is responsible for and starts repairs
 *     (fetches, reserve activations, hand-offs); crashes are repaired within about one interval
 * @param challengeInterval how often, on average, each fellow holder of a root is challenged
 * @param gcGrace how long a root no subscription needs any more is kept before its blocks go
 * @param domain this node's storage domain ("" is the default); subscriptions by domain place
 *     replicas on the nodes of their domain
 */
public record NodeDurability(
        Duration repairInterval, Duration challengeInterval, Duration gcGrace, String domain) {
    public NodeDurability {
        check("repair-interval", repairInterval);
        check("challenge-interval", challengeInterval);
        if (gcGrace.isNegative()) {
            throw new IllegalArgumentException("gc-grace must be >= 0, got " + gcGrace);
        }
        if (domain.length() > 64) {
            throw new IllegalArgumentException(
                    "domain '" + domain + "' is longer than 64 characters");
        }
    }

    /** 30 s repairs, challenges every 10 min, 10 min grace, the default domain. */
    public static NodeDurability defaults() {
        return new NodeDurability(
                Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(10), "");
    }

    private static void check(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
    }
}
