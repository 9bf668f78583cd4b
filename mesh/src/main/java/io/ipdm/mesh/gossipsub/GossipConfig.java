package io.ipdm.mesh.gossipsub;

import java.time.Duration;

/**
 * Gossipsub v1.1 router parameters (gossipsub v1.0 spec "Parameters" and v1.1 additions); defaults
 * are the spec's.
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
        Rpc.Limits rpcLimits) {

    public GossipConfig {
        if (!(dLo <= d && d <= dHi) || dLazy < 0 || dOut >= dLo || dScore > d) {
            throw new IllegalArgumentException(
                    "gossipsub degrees must satisfy D_lo <= D <= D_hi, D_out < D_lo, D_score <= D");
        }
        if (mcacheGossip > mcacheLength) {
            throw new IllegalArgumentException("mcacheGossip must not exceed mcacheLength");
        }
    }

    public static GossipConfig defaults() {
        return new GossipConfig(
                6,
                5,
                12,
                6,
                4,
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                5,
                3,
                Duration.ofMinutes(2),
                Duration.ofMinutes(1),
                Duration.ofSeconds(10),
                16,
                true,
                1024 * 1024,
                1024 * 1024 + 64 * 1024,
                5000,
                10,
                3,
                4096,
                Rpc.Limits.defaults());
    }

    public GossipConfig withHeartbeat(Duration interval) {
        return new GossipConfig(
                d,
                dLo,
                dHi,
                dLazy,
                dScore,
                dOut,
                interval,
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
                rpcLimits);
    }

    public GossipConfig withFloodPublish(boolean flood) {
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
                flood,
                maxMessageSize,
                maxRpcSize,
                maxIHaveLength,
                maxIHaveMessages,
                maxIWantRetransmits,
                maxPendingRpcs,
                rpcLimits);
    }

    public GossipConfig withMaxMessageSize(int max) {
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
                max,
                max + 64 * 1024,
                maxIHaveLength,
                maxIHaveMessages,
                maxIWantRetransmits,
                maxPendingRpcs,
                rpcLimits);
    }
}
