package io.ipdm.mesh.gossipsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gossipsub router parameters (gossipsub v1.0 spec "Parameters", v1.1 "Explicit peering ... /
 * Opportunistic grafting" and v1.2 IDONTWANT); defaults are the spec's. Immutable; make one with
 * {@link #builder()} or change one with {@link #toBuilder()}: {@link Builder#build()} checks every
 * constraint and names each broken one.
 *
 * @param opportunisticGraftTicks heartbeats between opportunistic grafting rounds (v1.1)
 * @param opportunisticGraftPeers peers grafted per opportunistic round
 * @param idontwantMinSize messages at least this large get an IDONTWANT to the mesh (v1.2 leaves
 *     the policy open; below ~16 KiB the control frames cost more CPU than the duplicates they save
 *     on the 10-node loopback bench)
 * @param maxIDontWantIds IDONTWANT ids accepted per peer and heartbeat; more are ignored
 * @param idontwantHeartbeats heartbeats an IDONTWANT is remembered for
 * @param iwantFollowupTime how long a peer has to deliver a message we asked for with IWANT after
 *     its IHAVE; a broken promise costs it one P7 penalty (v1.1 "gossip promises")
 * @param graftFloodThreshold a GRAFT this soon after we pruned the peer costs a second P7 penalty
 *     on top of the one for grafting during backoff
 */
public record GossipConfig(
        int d,
        int dLo,
        int dHi,
        int dLazy,
        int dScore,
        int dOut,
        Duration heartbeatInterval,
        Duration fanoutTtl,
        int mcacheLength,
        int mcacheGossip,
        Duration seenTtl,
        Duration pruneBackoff,
        Duration unsubscribeBackoff,
        int prunePeers,
        boolean floodPublish,
        int maxMessageSize,
        int maxRpcSize,
        int maxIHaveLength,
        int maxIHaveMessages,
        int maxIWantRetransmits,
        int maxPendingRpcs,
        int opportunisticGraftTicks,
        int opportunisticGraftPeers,
        int idontwantMinSize,
        int maxIDontWantIds,
        int idontwantHeartbeats,
        Duration iwantFollowupTime,
        Duration graftFloodThreshold,
        Rpc.Limits rpcLimits) {

    public GossipConfig {
        List<String> errors = new ArrayList<>();
        if (!(dLo <= d && d <= dHi)) {
            errors.add("D_lo <= D <= D_hi (got D_lo=" + dLo + ", D=" + d + ", D_hi=" + dHi + ")");
        }
        if (dLo < 1 || dLazy < 0 || dOut < 0 || dScore < 0) {
            errors.add("D_lo >= 1 and D_lazy, D_out, D_score >= 0");
        }
        if (dOut >= dLo || dOut > d / 2) {
            errors.add("D_out < D_lo and D_out <= D/2 (got D_out=" + dOut + ", D_lo=" + dLo + ")");
        }
        if (dScore > d) {
            errors.add("D_score <= D (got D_score=" + dScore + ", D=" + d + ")");
        }
        if (mcacheGossip > mcacheLength || mcacheGossip < 1) {
            errors.add(
                    "1 <= mcacheGossip <= mcacheLength (got "
                            + mcacheGossip
                            + " and "
                            + mcacheLength
                            + ")");
        }
        for (var dur :
                List.of(heartbeatInterval, fanoutTtl, seenTtl, pruneBackoff, unsubscribeBackoff)) {
            if (dur == null || dur.isNegative()) {
                errors.add("durations must be set and not negative");
                break;
            }
        }
        if (heartbeatInterval != null && heartbeatInterval.isZero()) {
            errors.add("heartbeatInterval > 0");
        }
        if (maxMessageSize < 1 || maxRpcSize < maxMessageSize) {
            errors.add(
                    "1 <= maxMessageSize <= maxRpcSize (got "
                            + maxMessageSize
                            + " and "
                            + maxRpcSize
                            + ")");
        }
        if (prunePeers < 0
                || maxIHaveLength < 0
                || maxIHaveMessages < 0
                || maxIWantRetransmits < 0
                || maxPendingRpcs < 1
                || opportunisticGraftTicks < 1
                || opportunisticGraftPeers < 0
                || idontwantMinSize < 0
                || maxIDontWantIds < 0
                || idontwantHeartbeats < 1) {
            errors.add(
                    "counts must not be negative; maxPendingRpcs, opportunisticGraftTicks and"
                            + " idontwantHeartbeats >= 1");
        }
        if (rpcLimits == null) {
            errors.add("rpcLimits must be set");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid gossipsub config: " + String.join("; ", errors));
        }
    }

    public static GossipConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public GossipConfig withHeartbeat(Duration interval) {
        return toBuilder().heartbeatInterval(interval).build();
    }

    public GossipConfig withFloodPublish(boolean flood) {
        return toBuilder().floodPublish(flood).build();
    }

    /** Also raises the RPC size limit to {@code max} plus 64 KiB of framing and control. */
    public GossipConfig withMaxMessageSize(int max) {
        return toBuilder().maxMessageSize(max).maxRpcSize(max + 64 * 1024).build();
    }

    /** Builds a {@link GossipConfig}; starts from the spec defaults. */
    public static final class Builder {
        private int d = 6;
        private int dLo = 5;
        private int dHi = 12;
        private int dLazy = 6;
        private int dScore = 4;
        private int dOut = 2;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration fanoutTtl = Duration.ofSeconds(60);
        private int mcacheLength = 5;
        private int mcacheGossip = 3;
        private Duration seenTtl = Duration.ofMinutes(2);
        private Duration pruneBackoff = Duration.ofMinutes(1);
        private Duration unsubscribeBackoff = Duration.ofSeconds(10);
        private int prunePeers = 16;
        private boolean floodPublish = true;
        private int maxMessageSize = 1024 * 1024;
        private int maxRpcSize = 1024 * 1024 + 64 * 1024;
        private int maxIHaveLength = 5000;
        private int maxIHaveMessages = 10;
        private int maxIWantRetransmits = 3;
        private int maxPendingRpcs = 4096;
        private int opportunisticGraftTicks = 60;
        private int opportunisticGraftPeers = 2;
        private int idontwantMinSize = 16 * 1024;
        private int maxIDontWantIds = 5000;
        private int idontwantHeartbeats = 3;
        private Duration iwantFollowupTime = Duration.ofSeconds(3);
        private Duration graftFloodThreshold = Duration.ofSeconds(10);
        private Rpc.Limits rpcLimits = Rpc.Limits.defaults();

        private Builder() {}

        private Builder(GossipConfig c) {
            d = c.d;
            dLo = c.dLo;
            dHi = c.dHi;
            dLazy = c.dLazy;
            dScore = c.dScore;
            dOut = c.dOut;
            heartbeatInterval = c.heartbeatInterval;
            fanoutTtl = c.fanoutTtl;
            mcacheLength = c.mcacheLength;
            mcacheGossip = c.mcacheGossip;
            seenTtl = c.seenTtl;
            pruneBackoff = c.pruneBackoff;
            unsubscribeBackoff = c.unsubscribeBackoff;
            prunePeers = c.prunePeers;
            floodPublish = c.floodPublish;
            maxMessageSize = c.maxMessageSize;
            maxRpcSize = c.maxRpcSize;
            maxIHaveLength = c.maxIHaveLength;
            maxIHaveMessages = c.maxIHaveMessages;
            maxIWantRetransmits = c.maxIWantRetransmits;
            maxPendingRpcs = c.maxPendingRpcs;
            opportunisticGraftTicks = c.opportunisticGraftTicks;
            opportunisticGraftPeers = c.opportunisticGraftPeers;
            idontwantMinSize = c.idontwantMinSize;
            maxIDontWantIds = c.maxIDontWantIds;
            idontwantHeartbeats = c.idontwantHeartbeats;
            iwantFollowupTime = c.iwantFollowupTime;
            graftFloodThreshold = c.graftFloodThreshold;
            rpcLimits = c.rpcLimits;
        }

        /** Sets D, D_lo, D_hi together (the spec ties them). */
        public Builder degree(int d, int dLo, int dHi) {
            this.d = d;
            this.dLo = dLo;
            this.dHi = dHi;
            return this;
        }

        public Builder dLazy(int v) {
            dLazy = v;
            return this;
        }

        public Builder dScore(int v) {
            dScore = v;
            return this;
        }

        public Builder dOut(int v) {
            dOut = v;
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder fanoutTtl(Duration v) {
            fanoutTtl = v;
            return this;
        }

        public Builder mcache(int length, int gossip) {
            mcacheLength = length;
            mcacheGossip = gossip;
            return this;
        }

        public Builder seenTtl(Duration v) {
            seenTtl = v;
            return this;
        }

        public Builder pruneBackoff(Duration v) {
            pruneBackoff = v;
            return this;
        }

        public Builder unsubscribeBackoff(Duration v) {
            unsubscribeBackoff = v;
            return this;
        }

        public Builder prunePeers(int v) {
            prunePeers = v;
            return this;
        }

        public Builder floodPublish(boolean v) {
            floodPublish = v;
            return this;
        }

        public Builder maxMessageSize(int v) {
            maxMessageSize = v;
            return this;
        }

        public Builder maxRpcSize(int v) {
            maxRpcSize = v;
            return this;
        }

        public Builder maxIHaveLength(int v) {
            maxIHaveLength = v;
            return this;
        }

        public Builder maxIHaveMessages(int v) {
            maxIHaveMessages = v;
            return this;
        }

        public Builder maxIWantRetransmits(int v) {
            maxIWantRetransmits = v;
            return this;
        }

        public Builder maxPendingRpcs(int v) {
            maxPendingRpcs = v;
            return this;
        }

        public Builder opportunisticGraft(int ticks, int peers) {
            opportunisticGraftTicks = ticks;
            opportunisticGraftPeers = peers;
            return this;
        }

        public Builder idontwantMinSize(int v) {
            idontwantMinSize = v;
            return this;
        }

        public Builder maxIDontWantIds(int v) {
            maxIDontWantIds = v;
            return this;
        }

        public Builder idontwantHeartbeats(int v) {
            idontwantHeartbeats = v;
            return this;
        }

        public Builder iwantFollowupTime(Duration v) {
            iwantFollowupTime = v;
            return this;
        }

        public Builder graftFloodThreshold(Duration v) {
            graftFloodThreshold = v;
            return this;
        }

        public Builder rpcLimits(Rpc.Limits v) {
            rpcLimits = v;
            return this;
        }

        public GossipConfig build() {
            return new GossipConfig(
                    d,
                    dLo,
                    dHi,
                    dLazy,
                    dScore,
                    dOut,
                    heartbeatInterval,
                    fanoutTtl,
                    mcacheLength,
                    mcacheGossip,
                    seenTtl,
                    pruneBackoff,
                    unsubscribeBackoff,
                    prunePeers,
                    floodPublish,
                    maxMessageSize,
                    maxRpcSize,
                    maxIHaveLength,
                    maxIHaveMessages,
                    maxIWantRetransmits,
                    maxPendingRpcs,
                    opportunisticGraftTicks,
                    opportunisticGraftPeers,
                    idontwantMinSize,
                    maxIDontWantIds,
                    idontwantHeartbeats,
                    iwantFollowupTime,
                    graftFloodThreshold,
                    rpcLimits);
        }
    }
}
