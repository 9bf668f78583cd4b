package io.ipdm.mesh.gossipsub;

import java.time.Duration;

/**
 * Peer scoring parameters (gossipsub v1.1 spec, "Peer Scoring"), one topic parameter set applied to
 * every topic: P1 time in mesh, P2 first message deliveries, P3 mesh message delivery deficit, P3b
 * mesh failure penalty, P4 invalid messages, P5 application-specific score, P6 IP colocation
 * factor, P7 behaviour penalty.
 */
public record ScoreParams(
        double topicWeight,
        double timeInMeshWeight,
        Duration timeInMeshQuantum,
        double timeInMeshCap,
        double firstMessageDeliveriesWeight,
        double firstMessageDeliveriesDecay,
        double firstMessageDeliveriesCap,
        double meshMessageDeliveriesWeight,
        double meshMessageDeliveriesDecay,
        double meshMessageDeliveriesCap,
        double meshMessageDeliveriesThreshold,
        Duration meshMessageDeliveriesWindow,
        Duration meshMessageDeliveriesActivation,
        double meshFailurePenaltyWeight,
        double meshFailurePenaltyDecay,
        double invalidMessageDeliveriesWeight,
        double invalidMessageDeliveriesDecay,
        double appSpecificWeight,
        double ipColocationFactorWeight,
        double ipColocationFactorThreshold,
        double behaviourPenaltyWeight,
        double behaviourPenaltyThreshold,
        double behaviourPenaltyDecay,
        Duration decayInterval,
        double decayToZero,
        double gossipThreshold,
        double publishThreshold,
        double graylistThreshold,
        double acceptPxThreshold) {

    public ScoreParams {
        if (meshMessageDeliveriesWeight > 0
                || meshFailurePenaltyWeight > 0
                || invalidMessageDeliveriesWeight > 0
                || ipColocationFactorWeight > 0
                || behaviourPenaltyWeight > 0) {
            throw new IllegalArgumentException(
                    "P3, P3b, P4, P6 and P7 weights must be negative or zero");
        }
        if (!(graylistThreshold <= publishThreshold
                && publishThreshold <= gossipThreshold
                && gossipThreshold <= 0)) {
            throw new IllegalArgumentException(
                    "thresholds must satisfy graylist <= publish <= gossip <= 0");
        }
    }

    /**
     * Defaults: P3 is off (it punishes quiet topics unless tuned to the topic's rate); one invalid
     * message takes a peer below the graylist threshold; P5 counts the application's score as is;
     * P6 is off (peers behind one NAT, or all on loopback, share an address).
     */
    public static ScoreParams defaults() {
        return new ScoreParams(
                1.0,
                0.01,
                Duration.ofSeconds(1),
                3600,
                1.0,
                0.5,
                100,
                0,
                0.5,
                100,
                1,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                0,
                0.5,
                -100,
                0.5,
                1.0,
                0,
                1,
                -10,
                1,
                0.9,
                Duration.ofSeconds(1),
                0.01,
                -10,
                -50,
                -80,
                10);
    }

    /**
     * A copy with P4's decay factor replaced (close to 1 keeps an invalid message counted longer).
     */
    public ScoreParams withInvalidMessageDeliveriesDecay(double decay) {
        return new ScoreParams(
                topicWeight,
                timeInMeshWeight,
                timeInMeshQuantum,
                timeInMeshCap,
                firstMessageDeliveriesWeight,
                firstMessageDeliveriesDecay,
                firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight,
                meshMessageDeliveriesDecay,
                meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold,
                meshMessageDeliveriesWindow,
                meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight,
                meshFailurePenaltyDecay,
                invalidMessageDeliveriesWeight,
                decay,
                appSpecificWeight,
                ipColocationFactorWeight,
                ipColocationFactorThreshold,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                behaviourPenaltyDecay,
                decayInterval,
                decayToZero,
                gossipThreshold,
                publishThreshold,
                graylistThreshold,
                acceptPxThreshold);
    }

    /** A copy with P7's decay factor replaced. */
    public ScoreParams withBehaviourPenaltyDecay(double decay) {
        return new ScoreParams(
                topicWeight,
                timeInMeshWeight,
                timeInMeshQuantum,
                timeInMeshCap,
                firstMessageDeliveriesWeight,
                firstMessageDeliveriesDecay,
                firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight,
                meshMessageDeliveriesDecay,
                meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold,
                meshMessageDeliveriesWindow,
                meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight,
                meshFailurePenaltyDecay,
                invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay,
                appSpecificWeight,
                ipColocationFactorWeight,
                ipColocationFactorThreshold,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                decay,
                decayInterval,
                decayToZero,
                gossipThreshold,
                publishThreshold,
                graylistThreshold,
                acceptPxThreshold);
    }

    /**
     * A copy with P6 on: each peer sharing its IP address with more than {@code threshold}
     * connected peers scores {@code weight * (count - threshold)^2}.
     */
    public ScoreParams withIpColocation(double weight, double threshold) {
        return new ScoreParams(
                topicWeight,
                timeInMeshWeight,
                timeInMeshQuantum,
                timeInMeshCap,
                firstMessageDeliveriesWeight,
                firstMessageDeliveriesDecay,
                firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight,
                meshMessageDeliveriesDecay,
                meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold,
                meshMessageDeliveriesWindow,
                meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight,
                meshFailurePenaltyDecay,
                invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay,
                appSpecificWeight,
                weight,
                threshold,
                behaviourPenaltyWeight,
                behaviourPenaltyThreshold,
                behaviourPenaltyDecay,
                decayInterval,
                decayToZero,
                gossipThreshold,
                publishThreshold,
                graylistThreshold,
                acceptPxThreshold);
    }
}
