package io.ipdm.operators.aggregate;

/**
 * Exact or approximate computation, for count_distinct, top_k and quantiles. Exact keeps every
 * distinct value (or every value, for quantiles) in state; approximate keeps a fixed-size Apache
 * DataSketches sketch (HLL, frequent items, KLL) whose error is bounded.
 */
public enum Precision {
    EXACT,
    APPROXIMATE
}
