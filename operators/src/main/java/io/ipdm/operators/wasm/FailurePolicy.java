package io.ipdm.operators.wasm;

/** What a WASM stage does with a batch the module fails on (trap, budget, bad output). */
public enum FailurePolicy {
    /** Fail the job; Flink restarts it from the last checkpoint per its restart strategy. */
    FAIL,
    /** Send the batch's rows, with the error, to the dead-letter side output and go on. */
    DEAD_LETTER
}
