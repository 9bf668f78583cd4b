package io.ipdm.dataflow.spec;

import java.time.Duration;

/**
 * How the job runs: parallelism, state, checkpoints, restarts, and whether every closed window is
 * attested ({@code attest}: signed attestations published through a node, docs/verification.md).
 */
public record RuntimeSpec(
        Integer parallelism,
        StateBackend stateBackend,
        Duration checkpointInterval,
        String stateDir,
        String checkpointDir,
        RestartSpec restart,
        Boolean attest) {

    /** Without attestations. */
    public RuntimeSpec(
            Integer parallelism,
            StateBackend stateBackend,
            Duration checkpointInterval,
            String stateDir,
            String checkpointDir,
            RestartSpec restart) {
        this(
                parallelism,
                stateBackend,
                checkpointInterval,
                stateDir,
                checkpointDir,
                restart,
                false);
    }

    /** Where keyed state lives. */
    public enum StateBackend {
        ROCKSDB("rocksdb"),
        HASHMAP("hashmap");

        private final String yaml;

        StateBackend(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    /** What Flink does when a task fails. */
    public record RestartSpec(Strategy strategy, Integer attempts, Duration delay) {
        /** Flink restart strategies offered in YAML. */
        public enum Strategy {
            NONE("none"),
            FIXED_DELAY("fixed-delay"),
            EXPONENTIAL_DELAY("exponential-delay");

            private final String yaml;

            Strategy(String yaml) {
                this.yaml = yaml;
            }

            public String yaml() {
                return yaml;
            }
        }
    }
}
