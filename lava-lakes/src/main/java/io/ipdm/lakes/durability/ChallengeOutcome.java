package io.ipdm.lakes.durability;

/** What one challenge showed about one holder. */
public enum ChallengeOutcome {
    /** Every proof matched: the holder has the bytes. */
    STORED,
    /** The holder said it does not hold a block it should. */
    LOST,
    /** A proof did not match the bytes (corrupt data or a lie). */
    WRONG,
    /** No answer in time, twice in a row. */
    TIMED_OUT
}
