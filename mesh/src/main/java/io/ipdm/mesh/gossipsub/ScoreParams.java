package io.ipdm.mesh.gossipsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer scoring parameters (gossipsub v1.1 spec, "Peer Scoring"), one topic parameter set applied to
 * every topic: P1 time in mesh, P2 first message deliveries, P3 mesh message delivery deficit, P3b
 * mesh failure penalty, P4 invalid messages, P5 application-specific score, P6 IP colocation
 * factor, P7 behaviour penalty; the thresholds; and the opportunistic grafting threshold (a mesh
 * whose median score is below it grafts better-scoring peers). Immutable; make one with {@link
 * #builder()} or change one with {@link #toBuilder()}: {@link Builder#build()} checks the signs,
 * ranges and threshold order and names each broken constraint.
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
        double acceptPxThreshold,
        double opportunisticGraftThreshold) {

    public ScoreParams {
        List<String> errors = new ArrayList<>();
        if (meshMessageDeliveriesWeight > 0
                || meshFailurePenaltyWeight > 0
                || invalidMessageDeliveriesWeight > 0
                || ipColocationFactorWeight > 0
                || behaviourPenaltyWeight > 0) {
            errors.add("P3, P3b, P4, P6 and P7 weights must be negative or zero");
        }
        if (topicWeight < 0
                || timeInMeshWeight < 0
                || firstMessageDeliveriesWeight < 0
                || appSpecificWeight < 0) {
            errors.add("topic, P1, P2 and P5 weights must be positive or zero");
        }
        if (!(graylistThreshold <= publishThreshold
                && publishThreshold <= gossipThreshold
                && gossipThreshold <= 0)) {
            errors.add("thresholds must satisfy graylist <= publish <= gossip <= 0");
        }
        if (acceptPxThreshold < 0 || opportunisticGraftThreshold < 0) {
            errors.add("acceptPxThreshold and opportunisticGraftThreshold must be >= 0");
        }
        for (double decay :
                new double[] {
                    firstMessageDeliveriesDecay,
                    meshMessageDeliveriesDecay,
                    meshFailurePenaltyDecay,
                    invalidMessageDeliveriesDecay,
                    behaviourPenaltyDecay
                }) {
            if (!(decay > 0 && decay < 1)) {
                errors.add("decay factors must be in (0, 1), got " + decay);
                break;
            }
        }
        for (Duration d :
                new Duration[] {
                    timeInMeshQuantum,
                    meshMessageDeliveriesWindow,
                    meshMessageDeliveriesActivation,
                    decayInterval
                }) {
            if (d == null || d.isNegative() || d.isZero()) {
                errors.add(
                        "timeInMeshQuantum, meshMessageDeliveries window/activation and"
                                + " decayInterval must be positive");
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /**
     * Defaults: P3 is off (it punishes quiet topics unless tuned to the topic's rate); one invalid
     * message takes a peer below the graylist threshold; P5 counts the application's score as is;
     * P6 is off (peers behind one NAT, or all on loopback, share an address); opportunistic
     * grafting only replaces meshes whose median score is negative.
     */
    public static ScoreParams defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A copy with P4's decay factor replaced (close to 1 keeps an invalid message counted longer).
     */
    public ScoreParams withInvalidMessageDeliveriesDecay(double decay) {
        return toBuilder().invalidMessageDeliveriesDecay(decay).build();
    }

    /** A copy with P7's decay factor replaced. */
    public ScoreParams withBehaviourPenaltyDecay(double decay) {
        return toBuilder().behaviourPenaltyDecay(decay).build();
    }

    /**
     * A copy with P6 on: each peer sharing its IP address with more than {@code threshold}
     * connected peers scores {@code weight * (count - threshold)^2}.
     */
    public ScoreParams withIpColocation(double weight, double threshold) {
        return toBuilder()
                .ipColocationFactorWeight(weight)
                .ipColocationFactorThreshold(threshold)
                .build();
    }

    /** Builds {@link ScoreParams}; starts from {@link #defaults()}'s values. */
    public static final class Builder {
        private double topicWeight = 1.0;
        private double timeInMeshWeight = 0.01;
        private Duration timeInMeshQuantum = Duration.ofSeconds(1);
        private double timeInMeshCap = 3600;
        private double firstMessageDeliveriesWeight = 1.0;
        private double firstMessageDeliveriesDecay = 0.5;
        private double firstMessageDeliveriesCap = 100;
        private double meshMessageDeliveriesWeight = 0;
        private double meshMessageDeliveriesDecay = 0.5;
        private double meshMessageDeliveriesCap = 100;
        private double meshMessageDeliveriesThreshold = 1;
        private Duration meshMessageDeliveriesWindow = Duration.ofMillis(10);
        private Duration meshMessageDeliveriesActivation = Duration.ofSeconds(5);
        private double meshFailurePenaltyWeight = 0;
        private double meshFailurePenaltyDecay = 0.5;
        private double invalidMessageDeliveriesWeight = -100;
        private double invalidMessageDeliveriesDecay = 0.5;
        private double appSpecificWeight = 1.0;
        private double ipColocationFactorWeight = 0;
        private double ipColocationFactorThreshold = 1;
        private double behaviourPenaltyWeight = -10;
        private double behaviourPenaltyThreshold = 1;
        private double behaviourPenaltyDecay = 0.9;
        private Duration decayInterval = Duration.ofSeconds(1);
        private double decayToZero = 0.01;
        private double gossipThreshold = -10;
        private double publishThreshold = -50;
        private double graylistThreshold = -80;
        private double acceptPxThreshold = 10;
        private double opportunisticGraftThreshold = 0;

        private Builder() {}

        private Builder(ScoreParams p) {
            topicWeight = p.topicWeight;
            timeInMeshWeight = p.timeInMeshWeight;
            timeInMeshQuantum = p.timeInMeshQuantum;
            timeInMeshCap = p.timeInMeshCap;
            firstMessageDeliveriesWeight = p.firstMessageDeliveriesWeight;
            firstMessageDeliveriesDecay = p.firstMessageDeliveriesDecay;
            firstMessageDeliveriesCap = p.firstMessageDeliveriesCap;
            meshMessageDeliveriesWeight = p.meshMessageDeliveriesWeight;
            meshMessageDeliveriesDecay = p.meshMessageDeliveriesDecay;
            meshMessageDeliveriesCap = p.meshMessageDeliveriesCap;
            meshMessageDeliveriesThreshold = p.meshMessageDeliveriesThreshold;
            meshMessageDeliveriesWindow = p.meshMessageDeliveriesWindow;
            meshMessageDeliveriesActivation = p.meshMessageDeliveriesActivation;
            meshFailurePenaltyWeight = p.meshFailurePenaltyWeight;
            meshFailurePenaltyDecay = p.meshFailurePenaltyDecay;
            invalidMessageDeliveriesWeight = p.invalidMessageDeliveriesWeight;
            invalidMessageDeliveriesDecay = p.invalidMessageDeliveriesDecay;
            appSpecificWeight = p.appSpecificWeight;
            ipColocationFactorWeight = p.ipColocationFactorWeight;
            ipColocationFactorThreshold = p.ipColocationFactorThreshold;
            behaviourPenaltyWeight = p.behaviourPenaltyWeight;
            behaviourPenaltyThreshold = p.behaviourPenaltyThreshold;
            behaviourPenaltyDecay = p.behaviourPenaltyDecay;
            decayInterval = p.decayInterval;
            decayToZero = p.decayToZero;
            gossipThreshold = p.gossipThreshold;
            publishThreshold = p.publishThreshold;
            graylistThreshold = p.graylistThreshold;
            acceptPxThreshold = p.acceptPxThreshold;
            opportunisticGraftThreshold = p.opportunisticGraftThreshold;
        }

        public Builder topicWeight(double v) {
            topicWeight = v;
            return this;
        }

        public Builder timeInMeshWeight(double v) {
            timeInMeshWeight = v;
            return this;
        }

        public Builder timeInMeshQuantum(Duration v) {
            timeInMeshQuantum = v;
            return this;
        }

        public Builder timeInMeshCap(double v) {
            timeInMeshCap = v;
            return this;
        }

        public Builder firstMessageDeliveriesWeight(double v) {
            firstMessageDeliveriesWeight = v;
            return this;
        }

        public Builder firstMessageDeliveriesDecay(double v) {
            firstMessageDeliveriesDecay = v;
            return this;
        }

        public Builder firstMessageDeliveriesCap(double v) {
            firstMessageDeliveriesCap = v;
            return this;
        }

        public Builder meshMessageDeliveriesWeight(double v) {
            meshMessageDeliveriesWeight = v;
            return this;
        }

        public Builder meshMessageDeliveriesDecay(double v) {
            meshMessageDeliveriesDecay = v;
            return this;
        }

        public Builder meshMessageDeliveriesCap(double v) {
            meshMessageDeliveriesCap = v;
            return this;
        }

        public Builder meshMessageDeliveriesThreshold(double v) {
            meshMessageDeliveriesThreshold = v;
            return this;
        }

        public Builder meshMessageDeliveriesWindow(Duration v) {
            meshMessageDeliveriesWindow = v;
            return this;
        }

        public Builder meshMessageDeliveriesActivation(Duration v) {
            meshMessageDeliveriesActivation = v;
            return this;
        }

        public Builder meshFailurePenaltyWeight(double v) {
            meshFailurePenaltyWeight = v;
            return this;
        }

        public Builder meshFailurePenaltyDecay(double v) {
            meshFailurePenaltyDecay = v;
            return this;
        }

        public Builder invalidMessageDeliveriesWeight(double v) {
            invalidMessageDeliveriesWeight = v;
            return this;
        }

        public Builder invalidMessageDeliveriesDecay(double v) {
            invalidMessageDeliveriesDecay = v;
            return this;
        }

        public Builder appSpecificWeight(double v) {
            appSpecificWeight = v;
            return this;
        }

        public Builder ipColocationFactorWeight(double v) {
            ipColocationFactorWeight = v;
            return this;
        }

        public Builder ipColocationFactorThreshold(double v) {
            ipColocationFactorThreshold = v;
            return this;
        }

        public Builder behaviourPenaltyWeight(double v) {
            behaviourPenaltyWeight = v;
            return this;
        }

        public Builder behaviourPenaltyThreshold(double v) {
            behaviourPenaltyThreshold = v;
            return this;
        }

        public Builder behaviourPenaltyDecay(double v) {
            behaviourPenaltyDecay = v;
            return this;
        }

        public Builder decayInterval(Duration v) {
            decayInterval = v;
            return this;
        }

        public Builder decayToZero(double v) {
            decayToZero = v;
            return this;
        }

        public Builder gossipThreshold(double v) {
            gossipThreshold = v;
            return this;
        }

        public Builder publishThreshold(double v) {
            publishThreshold = v;
            return this;
        }

        public Builder graylistThreshold(double v) {
            graylistThreshold = v;
            return this;
        }

        public Builder acceptPxThreshold(double v) {
            acceptPxThreshold = v;
            return this;
        }

        public Builder opportunisticGraftThreshold(double v) {
            opportunisticGraftThreshold = v;
            return this;
        }

        public ScoreParams build() {
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
                    behaviourPenaltyDecay,
                    decayInterval,
                    decayToZero,
                    gossipThreshold,
                    publishThreshold,
                    graylistThreshold,
                    acceptPxThreshold,
                    opportunisticGraftThreshold);
        }
    }
}
