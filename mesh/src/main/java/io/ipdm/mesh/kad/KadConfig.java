package io.ipdm.mesh.kad;

import java.time.Duration;

/**
 * Kademlia settings, immutable; {@link #defaults()} are the spec's and go/js-libp2p's where they
 * have one. Build others with {@link #toBuilder()}.
 *
 * @param protocol the protocol id ({@value #PROTOCOL})
 * @param mode server (answers requests and is advertised through identify) or client (only asks)
 * @param k bucket size and lookup width (20)
 * @param alpha requests in flight per lookup (3)
 * @param requestTimeout one RPC
 * @param queryTimeout a whole lookup when the caller gives no deadline
 * @param providerTtl how long a received provider record is kept (48 h)
 * @param republishInterval how often keys we provide are announced again (22 h, before the TTL)
 * @param maxConcurrentProvides announcements (lookup + ADD_PROVIDERs) running at once; the rest
 *     wait in a queue, so providing many keys does not flood the network
 * @param cleanupInterval how often expired provider records are dropped (1 h)
 * @param refreshInterval how often the routing table is refreshed with a self lookup and a random
 *     lookup (5 min)
 * @param staleAfter a full bucket checks that its least recently seen contact is alive before
 *     refusing a newcomer, if that contact has not been heard from for this long
 * @param maxFailures consecutive failed requests after which a contact leaves the routing table
 * @param maxMessageBytes one message on the wire
 * @param maxKeyBytes the key of a message
 * @param maxPeersPerMessage closer plus provider peers in one message
 * @param maxAddrsPerPeer addresses of one peer in a message
 * @param maxProviderKeys keys in the provider store
 * @param maxProvidersPerKey providers kept per key
 * @param inboundRequestsPerSecond sustained requests one peer may send us
 * @param inboundBurst requests one peer may send at once
 * @param banScore penalty points at which a peer is disconnected and refused
 * @param banDuration how long a banned peer is refused
 * @param bootstrapRetry while the routing table is empty, the bootstrap peers are dialed again
 *     after this long, then after twice as long each time up to {@code refreshInterval} (10 s)
 * @param minConnections the low-water mark of connections to routing-table contacts (8): after a
 *     disconnect leaves fewer of them connected (and fewer than the table holds), the closest
 *     unconnected contacts are sent a FIND_NODE of our own id, which dials them, as many as are
 *     missing, every {@code bootstrapRetry} until enough are connected or none is left to try; a
 *     contact that does not answer leaves the table after {@code maxFailures}. So peers learned
 *     through the DHT stay connected when the bootstrap peer they were met through goes away.
 */
public record KadConfig(
        String protocol,
        Mode mode,
        int k,
        int alpha,
        Duration requestTimeout,
        Duration queryTimeout,
        Duration providerTtl,
        Duration republishInterval,
        int maxConcurrentProvides,
        Duration cleanupInterval,
        Duration refreshInterval,
        Duration staleAfter,
        int maxFailures,
        int maxMessageBytes,
        int maxKeyBytes,
        int maxPeersPerMessage,
        int maxAddrsPerPeer,
        int maxProviderKeys,
        int maxProvidersPerKey,
        double inboundRequestsPerSecond,
        int inboundBurst,
        double banScore,
        Duration banDuration,
        Duration bootstrapRetry,
        int minConnections) {
    public static final String PROTOCOL = "/ipfs/kad/1.0.0";

    /**
     * Server mode answers requests and joins other peers' routing tables; client mode only asks.
     */
    public enum Mode {
        SERVER,
        CLIENT
    }

    public KadConfig {
        if (k < 1 || alpha < 1 || maxFailures < 1 || maxConcurrentProvides < 1) {
            throw new IllegalArgumentException(
                    "k, alpha, maxFailures and maxConcurrentProvides must be at least 1");
        }
        if (maxPeersPerMessage < k) {
            throw new IllegalArgumentException(
                    "maxPeersPerMessage " + maxPeersPerMessage + " is below k " + k);
        }
        if (minConnections < 0) {
            throw new IllegalArgumentException(
                    "minConnections must be >= 0, got " + minConnections);
        }
        if (bootstrapRetry.isNegative() || bootstrapRetry.isZero()) {
            throw new IllegalArgumentException(
                    "bootstrapRetry must be positive, got " + bootstrapRetry);
        }
        if (republishInterval.compareTo(providerTtl) >= 0) {
            throw new IllegalArgumentException(
                    "republishInterval "
                            + republishInterval
                            + " must be shorter than providerTtl "
                            + providerTtl
                            + ", or records expire before they are renewed");
        }
    }

    public static KadConfig defaults() {
        return new KadConfig(
                PROTOCOL,
                Mode.SERVER,
                20,
                3,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofHours(48),
                Duration.ofHours(22),
                8,
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                2,
                1 << 20,
                256,
                200,
                32,
                100_000,
                64,
                100,
                200,
                100,
                Duration.ofMinutes(10),
                Duration.ofSeconds(10),
                8);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a config and changes some of it. */
    public static final class Builder {
        private String protocol;
        private Mode mode;
        private int k;
        private int alpha;
        private Duration requestTimeout;
        private Duration queryTimeout;
        private Duration providerTtl;
        private Duration republishInterval;
        private int maxConcurrentProvides;
        private Duration cleanupInterval;
        private Duration refreshInterval;
        private Duration staleAfter;
        private int maxFailures;
        private int maxMessageBytes;
        private int maxKeyBytes;
        private int maxPeersPerMessage;
        private int maxAddrsPerPeer;
        private int maxProviderKeys;
        private int maxProvidersPerKey;
        private double inboundRequestsPerSecond;
        private int inboundBurst;
        private double banScore;
        private Duration banDuration;
        private Duration bootstrapRetry;
        private int minConnections;

        private Builder(KadConfig c) {
            protocol = c.protocol;
            mode = c.mode;
            k = c.k;
            alpha = c.alpha;
            requestTimeout = c.requestTimeout;
            queryTimeout = c.queryTimeout;
            providerTtl = c.providerTtl;
            republishInterval = c.republishInterval;
            maxConcurrentProvides = c.maxConcurrentProvides;
            cleanupInterval = c.cleanupInterval;
            refreshInterval = c.refreshInterval;
            staleAfter = c.staleAfter;
            maxFailures = c.maxFailures;
            maxMessageBytes = c.maxMessageBytes;
            maxKeyBytes = c.maxKeyBytes;
            maxPeersPerMessage = c.maxPeersPerMessage;
            maxAddrsPerPeer = c.maxAddrsPerPeer;
            maxProviderKeys = c.maxProviderKeys;
            maxProvidersPerKey = c.maxProvidersPerKey;
            inboundRequestsPerSecond = c.inboundRequestsPerSecond;
            inboundBurst = c.inboundBurst;
            banScore = c.banScore;
            banDuration = c.banDuration;
            bootstrapRetry = c.bootstrapRetry;
            minConnections = c.minConnections;
        }

        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder alpha(int v) {
            alpha = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder queryTimeout(Duration v) {
            queryTimeout = v;
            return this;
        }

        public Builder providerTtl(Duration v) {
            providerTtl = v;
            return this;
        }

        public Builder republishInterval(Duration v) {
            republishInterval = v;
            return this;
        }

        public Builder maxConcurrentProvides(int v) {
            maxConcurrentProvides = v;
            return this;
        }

        public Builder cleanupInterval(Duration v) {
            cleanupInterval = v;
            return this;
        }

        public Builder refreshInterval(Duration v) {
            refreshInterval = v;
            return this;
        }

        public Builder staleAfter(Duration v) {
            staleAfter = v;
            return this;
        }

        public Builder maxFailures(int v) {
            maxFailures = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public Builder maxPeersPerMessage(int v) {
            maxPeersPerMessage = v;
            return this;
        }

        public Builder maxProvidersPerKey(int v) {
            maxProvidersPerKey = v;
            return this;
        }

        public Builder maxProviderKeys(int v) {
            maxProviderKeys = v;
            return this;
        }

        public Builder inboundRate(double perSecond, int burst) {
            inboundRequestsPerSecond = perSecond;
            inboundBurst = burst;
            return this;
        }

        public Builder ban(double score, Duration duration) {
            banScore = score;
            banDuration = duration;
            return this;
        }

        public Builder bootstrapRetry(Duration v) {
            bootstrapRetry = v;
            return this;
        }

        public Builder minConnections(int v) {
            minConnections = v;
            return this;
        }

        public KadConfig build() {
            return new KadConfig(
                    protocol,
                    mode,
                    k,
                    alpha,
                    requestTimeout,
                    queryTimeout,
                    providerTtl,
                    republishInterval,
                    maxConcurrentProvides,
                    cleanupInterval,
                    refreshInterval,
                    staleAfter,
                    maxFailures,
                    maxMessageBytes,
                    maxKeyBytes,
                    maxPeersPerMessage,
                    maxAddrsPerPeer,
                    maxProviderKeys,
                    maxProvidersPerKey,
                    inboundRequestsPerSecond,
                    inboundBurst,
                    banScore,
                    banDuration,
                    bootstrapRetry,
                    minConnections);
        }
    }
}
