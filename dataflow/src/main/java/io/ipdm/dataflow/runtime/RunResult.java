package io.ipdm.dataflow.runtime;

/**
 * How a run ended.
 *
 * @param savepoint the savepoint written when the job was stopped, else null
 * @param failure the root cause when the job failed, else null
 * @param deadLetters rows WASM stages sent to dead-letter streams (known when the job finished)
 */
public record RunResult(
        Outcome outcome,
        String savepoint,
        Throwable failure,
        long runtimeMillis,
        long deadLetters) {
    public RunResult(Outcome outcome, String savepoint, Throwable failure, long runtimeMillis) {
        this(outcome, savepoint, failure, runtimeMillis, 0);
    }

    /** Finished: all bounded input processed. Stopped: stopped with a savepoint. */
    public enum Outcome {
        FINISHED,
        STOPPED,
        FAILED
    }
}
