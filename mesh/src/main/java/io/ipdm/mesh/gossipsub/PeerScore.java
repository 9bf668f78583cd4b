package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-peer score counters and the score function of the gossipsub v1.1 spec:
 *
 * <pre>
 *   score = sum_t topicWeight * (w1 P1 + w2 P2 + w3 P3 + w3b P3b + w4 P4) + w5 P5 + w6 P6 + w7 P7
 *   P3 = deficit^2 below the delivery threshold once active, P4 = invalid^2, P5 = the application's score,
 *   P6 = max(0, peers on the same IP - threshold)^2, P7 = max(0, penalty - threshold)^2
 * </pre>
 *
 * Counters decay every decay interval; not thread-safe (router thread only).
 */
final class PeerScore {
    private static final class TopicStats {
        boolean inMesh;
        long graftTime;
        double firstDeliveries;
        double meshDeliveries;
        boolean meshActive;
        double meshFailurePenalty;
        double invalidDeliveries;
    }

    private static final class Stats {
        final Map<String, TopicStats> topics = new HashMap<>();
        double behaviourPenalty;
    }

    private final ScoreParams p;
    private final LongSupplier clock;
    private final Map<PeerId, Stats> peers = new HashMap<>();
    private final Map<PeerId, Double> appScores = new HashMap<>();
    private final Map<PeerId, String> ips = new HashMap<>();
    private final Map<String, Integer> peersPerIp = new HashMap<>();

    PeerScore(ScoreParams p, LongSupplier nanoClock) {
        this.p = p;
        this.clock = nanoClock;
    }

    private TopicStats topic(PeerId peer, String topic) {
        return peers.computeIfAbsent(peer, k -> new Stats())
                .topics
                .computeIfAbsent(topic, k -> new TopicStats());
    }

    double score(PeerId peer) {
        double total = p.appSpecificWeight() * appScores.getOrDefault(peer, 0.0);
        String ip = ips.get(peer);
        if (ip != null) {
            double surplus = peersPerIp.get(ip) - p.ipColocationFactorThreshold();
            if (surplus > 0) {
                total += p.ipColocationFactorWeight() * surplus * surplus;
            }
        }
        Stats s = peers.get(peer);
        if (s == null) {
            return total;
        }
        long now = clock.getAsLong();
        for (TopicStats t : s.topics.values()) {
            double topicScore = 0;
            if (t.inMesh) {
                double quanta = (now - t.graftTime) / (double) p.timeInMeshQuantum().toNanos();
                topicScore += p.timeInMeshWeight() * Math.min(quanta, p.timeInMeshCap());
            }
            topicScore += p.firstMessageDeliveriesWeight() * t.firstDeliveries;
            if (t.meshActive && t.meshDeliveries < p.meshMessageDeliveriesThreshold()) {
                double deficit = p.meshMessageDeliveriesThreshold() - t.meshDeliveries;
                topicScore += p.meshMessageDeliveriesWeight() * deficit * deficit;
            }
            topicScore += p.meshFailurePenaltyWeight() * t.meshFailurePenalty;
            topicScore +=
                    p.invalidMessageDeliveriesWeight() * t.invalidDeliveries * t.invalidDeliveries;
            total += p.topicWeight() * topicScore;
        }
        double excess = s.behaviourPenalty - p.behaviourPenaltyThreshold();
        if (excess > 0) {
            total += p.behaviourPenaltyWeight() * excess * excess;
        }
        return total;
    }

    /** P5: the application's opinion of {@code peer}. */
    void setAppScore(PeerId peer, double value) {
        if (value == 0) {
            appScores.remove(peer);
        } else {
            appScores.put(peer, value);
        }
    }

    /** P6: {@code peer} is connected from {@code ip} (null when it disconnected). */
    void setIp(PeerId peer, String ip) {
        String old = ip == null ? ips.remove(peer) : ips.put(peer, ip);
        if (old != null) {
            peersPerIp.computeIfPresent(old, (k, n) -> n <= 1 ? null : n - 1);
        }
        if (ip != null) {
            peersPerIp.merge(ip, 1, Integer::sum);
        }
    }

    void graft(PeerId peer, String topic) {
        TopicStats t = topic(peer, topic);
        t.inMesh = true;
        t.graftTime = clock.getAsLong();
        t.meshActive = false;
    }

    void prune(PeerId peer, String topic) {
        TopicStats t = topic(peer, topic);
        if (t.meshActive && t.meshDeliveries < p.meshMessageDeliveriesThreshold()) {
            double deficit = p.meshMessageDeliveriesThreshold() - t.meshDeliveries;
            t.meshFailurePenalty += deficit * deficit;
        }
        t.inMesh = false;
        t.meshActive = false;
    }

    void firstDelivery(PeerId peer, String topic) {
        TopicStats t = topic(peer, topic);
        t.firstDeliveries = Math.min(p.firstMessageDeliveriesCap(), t.firstDeliveries + 1);
        if (t.inMesh) {
            t.meshDeliveries = Math.min(p.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
        }
    }

    /** A duplicate; counts for P3 when it came within the window of the first copy. */
    void duplicateDelivery(PeerId peer, String topic, long firstSeenNanos) {
        TopicStats t = topic(peer, topic);
        if (t.inMesh
                && firstSeenNanos >= 0
                && clock.getAsLong() - firstSeenNanos
                        <= p.meshMessageDeliveriesWindow().toNanos()) {
            t.meshDeliveries = Math.min(p.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
        }
    }

    void invalidMessage(PeerId peer, String topic) {
        topic(peer, topic).invalidDeliveries += 1;
    }

    void behaviourPenalty(PeerId peer, double count) {
        peers.computeIfAbsent(peer, k -> new Stats()).behaviourPenalty += count;
    }

    /** Applies one decay interval; also activates P3 for peers in the mesh long enough. */
    void decay() {
        long now = clock.getAsLong();
        peers.values()
                .removeIf(
                        s -> {
                            s.behaviourPenalty =
                                    zero(s.behaviourPenalty * p.behaviourPenaltyDecay());
                            boolean empty = s.behaviourPenalty == 0;
                            for (TopicStats t : s.topics.values()) {
                                t.firstDeliveries =
                                        zero(t.firstDeliveries * p.firstMessageDeliveriesDecay());
                                t.meshDeliveries =
                                        zero(t.meshDeliveries * p.meshMessageDeliveriesDecay());
                                t.meshFailurePenalty =
                                        zero(t.meshFailurePenalty * p.meshFailurePenaltyDecay());
                                t.invalidDeliveries =
                                        zero(
                                                t.invalidDeliveries
                                                        * p.invalidMessageDeliveriesDecay());
                                if (t.inMesh
                                        && now - t.graftTime
                                                >= p.meshMessageDeliveriesActivation().toNanos()) {
                                    t.meshActive = true;
                                }
                                empty &=
                                        !t.inMesh
                                                && t.firstDeliveries == 0
                                                && t.meshFailurePenalty == 0
                                                && t.invalidDeliveries == 0;
                            }
                            return empty;
                        });
    }

    private double zero(double v) {
        return Math.abs(v) < p.decayToZero() ? 0 : v;
    }
}
