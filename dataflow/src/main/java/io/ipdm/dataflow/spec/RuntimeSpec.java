package io.ipdm.dataflow.spec;

import java.time.Duration;

/**
 * How the job runs: parallelism, state, checkpoints, restarts, metrics, and whether every closed
 * window is attested.
 *
 * @param metricsPort where {@code ipdm run}/{@code ipdm submit} serve Prometheus metrics, as {@code
 *     --metrics-port} (which wins); null for nowhere
 * @param attest whether every closed window is attested (signed attestations published through a
 *     node, as {@code --attest}; docs/verification.md)
 * @param preAggregate whether windows whose aggregates merge exactly are pre-aggregated per key and
 *     pane before their shuffle (on unless {@code pre_aggregate: false}; docs/pipeline-yaml.md)
 */
public record RuntimeSpec(
        Integer parallelism,
        StateBackend stateBackend,
        Duration checkpointInterval,
        String stateDir,
        String checkpointDir,
        RestartSpec restart,
        Integer metricsPort,
        Boolean attest,
        Boolean preAggregate) {

    /** Without a metrics port and attestations, with pre-aggregation on. */
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
                null,
                false,
                true);
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
