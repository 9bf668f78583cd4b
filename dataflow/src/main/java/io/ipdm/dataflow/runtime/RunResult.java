package io.ipdm.dataflow.runtime;

/**
 * How a run ended.
 *
 * @param savepoint the savepoint written when the job was stopped, else null
 * @param failure the root cause when the job failed, else null
 * @param metrics the run's final counts (rows per source and sink, late rows dropped per window)
 */
public record RunResult(
        Outcome outcome,
        String savepoint,
        Throwable failure,
        long runtimeMillis,
        JobMetrics.Snapshot metrics) {
    /** Finished: all bounded input processed. Stopped: stopped with a savepoint. */
    public enum Outcome {
        FINISHED,
        STOPPED,
        FAILED
    }

    /** Rows WASM stages sent to dead-letter streams. */
    public long deadLetters() {
        return metrics == null ? 0 : metrics.deadLetters();
    }

    /** One warning line per thing the run lost without failing (rows dropped as late, ...). */
    public java.util.List<String> warnings() {
        return metrics == null ? java.util.List.of() : Progress.warnings(metrics);
    }
}
