package io.ipdm.lakes.durability.sim;

/** How a simulated node treats the data it is given. */
public enum Behaviour {
    HONEST,
    /**
     * Says it holds what it is asked to hold, stores nothing, answers challenges with made-up
     * proofs.
     */
    CLAIM_ONLY,
    /** Stores, then silently deletes each root some hours later while still claiming it. */
    DROPPER,
    /** Stores corrupted bytes (and serves them). */
    CORRUPT,
    /** Stores honestly but answers challenges after the deadline. */
    LATE
}
