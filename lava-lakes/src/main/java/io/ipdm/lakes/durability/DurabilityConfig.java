package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import java.time.Duration;
import java.util.Set;

/**
 * The durability engine's settings; build with {@link #builder()}. Immutable.
 *
 * @param domain this node's storage domain ("" is the default domain)
 * @param authors the keys whose subscriptions this node accepts (the allow-list)
 * @param repair whether this node maintains replicas (fetch on entering, activate reserves, hand
 *     off); false leaves only answering challenges and serving (the simulator's baseline)
 * @param maintenanceInterval how often responsibility is recomputed and repairs started
 * @param scanInterval how often every subscribed root is checked for new responsibility (churn
 *     events cover the rest)
 * @param challengeInterval how often (on average) each fellow holder of a root is challenged
 * @param challengeTimeout an answer later than this is a timeout (a first timeout is retried once)
 * @param challengeSamples blocks sampled per challenge
 * @param maxChallengeBlocks most blocks an inbound challenge may ask (more is penalized)
 * @param challengesPerMinute inbound challenges answered per peer and minute (token bucket, burst
 *     {@code challengesPerMinute}); more is refused and penalized
 * @param replicateRetry how long to wait for a {@code Holding} before asking a peer again
 * @param gcGrace how long a root no subscription needs is kept before its blocks are dropped
 * @param cacheBlocks blocks kept as opportunistic cache (least recently passed dropped first)
 * @param rankHalfLife half-life of the stored/lost evidence behind a peer's rank
 * @param placementRank below this rank a peer gets no new replicas
 * @param isolateOffences offence points (lost 1, wrong 2, timed out 0.5, flood 0.25) that isolate a
 *     peer
 * @param offenceHalfLife half-life of offence points
 * @param acceptSlack a node accepts activation for a root when it is within the first {@code factor
 *     + acceptSlack} live servers of the order (views of liveness and rank may differ)
 */
public record DurabilityConfig(
        String domain,
        Set<PeerId> authors,
        boolean repair,
        Duration maintenanceInterval,
        Duration scanInterval,
        Duration challengeInterval,
        Duration challengeTimeout,
        int challengeSamples,
        int maxChallengeBlocks,
        int challengesPerMinute,
        Duration replicateRetry,
        Duration gcGrace,
        int cacheBlocks,
        Duration rankHalfLife,
        double placementRank,
        double isolateOffences,
        Duration offenceHalfLife,
        int acceptSlack) {

    public DurabilityConfig {
        authors = Set.copyOf(authors);
        if (domain.length() > Subscription.MAX_DOMAIN) {
            throw new DurabilityException("durability: domain longer than 64 characters");
        }
        if (challengeSamples < 1
                || maxChallengeBlocks < challengeSamples
                || challengesPerMinute < 1
                || cacheBlocks < 0
                || acceptSlack < 0
                || placementRank < 0
                || placementRank >= 1
                || isolateOffences <= 0) {
            throw new DurabilityException(
                    "durability config: challengeSamples >= 1, maxChallengeBlocks >="
                            + " challengeSamples, challengesPerMinute >= 1, cacheBlocks >= 0,"
                            + " acceptSlack >= 0, 0 <= placementRank < 1, isolateOffences > 0");
        }
        for (Duration d :
                new Duration[] {
                    maintenanceInterval,
                    scanInterval,
                    challengeInterval,
                    challengeTimeout,
                    replicateRetry,
                    rankHalfLife,
                    offenceHalfLife
                }) {
            if (d.isNegative() || d.isZero()) {
                throw new DurabilityException("durability config: intervals must be positive");
            }
        }
        if (gcGrace.isNegative()) {
            throw new DurabilityException("durability config: gcGrace must be >= 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.domain = domain;
        b.authors = authors;
        b.repair = repair;
        b.maintenanceInterval = maintenanceInterval;
        b.scanInterval = scanInterval;
        b.challengeInterval = challengeInterval;
        b.challengeTimeout = challengeTimeout;
        b.challengeSamples = challengeSamples;
        b.maxChallengeBlocks = maxChallengeBlocks;
        b.challengesPerMinute = challengesPerMinute;
        b.replicateRetry = replicateRetry;
        b.gcGrace = gcGrace;
        b.cacheBlocks = cacheBlocks;
        b.rankHalfLife = rankHalfLife;
        b.placementRank = placementRank;
        b.isolateOffences = isolateOffences;
        b.offenceHalfLife = offenceHalfLife;
        b.acceptSlack = acceptSlack;
        return b;
    }

    /** Defaults: the values documented in docs/lava-lakes.md ("Durability protocol"). */
    public static final class Builder {
        private String domain = "";
        private Set<PeerId> authors = Set.of();
        private boolean repair = true;
        private Duration maintenanceInterval = Duration.ofSeconds(30);
        private Duration scanInterval = Duration.ofMinutes(10);
        private Duration challengeInterval = Duration.ofMinutes(10);
        private Duration challengeTimeout = Duration.ofSeconds(20);
        private int challengeSamples = 4;
        private int maxChallengeBlocks = 32;
        private int challengesPerMinute = 120;
        private Duration replicateRetry = Duration.ofMinutes(1);
        private Duration gcGrace = Duration.ofMinutes(10);
        private int cacheBlocks = 1024;
        private Duration rankHalfLife = Duration.ofDays(3);
        private double placementRank = 0.4;
        private double isolateOffences = 3;
        private Duration offenceHalfLife = Duration.ofDays(14);
        private int acceptSlack = 2;

        public Builder domain(String v) {
            domain = v;
            return this;
        }

        public Builder authors(Set<PeerId> v) {
            authors = v;
            return this;
        }

        public Builder repair(boolean v) {
            repair = v;
            return this;
        }

        public Builder maintenanceInterval(Duration v) {
            maintenanceInterval = v;
            return this;
        }

        public Builder scanInterval(Duration v) {
            scanInterval = v;
            return this;
        }

        public Builder challengeInterval(Duration v) {
            challengeInterval = v;
            return this;
        }

        public Builder challengeTimeout(Duration v) {
            challengeTimeout = v;
            return this;
        }

        public Builder challengeSamples(int v) {
            challengeSamples = v;
            return this;
        }

        public Builder maxChallengeBlocks(int v) {
            maxChallengeBlocks = v;
            return this;
        }

        public Builder challengesPerMinute(int v) {
            challengesPerMinute = v;
            return this;
        }

        public Builder replicateRetry(Duration v) {
            replicateRetry = v;
            return this;
        }

        public Builder gcGrace(Duration v) {
            gcGrace = v;
            return this;
        }

        public Builder cacheBlocks(int v) {
            cacheBlocks = v;
            return this;
        }

        public Builder rankHalfLife(Duration v) {
            rankHalfLife = v;
            return this;
        }

        public Builder placementRank(double v) {
            placementRank = v;
            return this;
        }

        public Builder isolateOffences(double v) {
            isolateOffences = v;
            return this;
        }

        public Builder offenceHalfLife(Duration v) {
            offenceHalfLife = v;
            return this;
        }

        public Builder acceptSlack(int v) {
            acceptSlack = v;
            return this;
        }

        public DurabilityConfig build() {
            return new DurabilityConfig(
                    domain,
                    authors,
                    repair,
                    maintenanceInterval,
                    scanInterval,
                    challengeInterval,
                    challengeTimeout,
                    challengeSamples,
                    maxChallengeBlocks,
                    challengesPerMinute,
                    replicateRetry,
                    gcGrace,
                    cacheBlocks,
                    rankHalfLife,
                    placementRank,
                    isolateOffences,
                    offenceHalfLife,
                    acceptSlack);
        }
    }
}
