package io.ipdm.mesh.records;

/** What {@link RecordStore#put} did with a record, and why. */
public record PutResult(Outcome outcome, SignedRecord record, String reason, boolean repeat) {
    /**
     * A first verdict on {@code record}; {@code repeat} marks an {@link Outcome#UNAUTHORIZED} for a
     * record the store had already refused (it remembers them, see {@link RecordStore}).
     */
    public PutResult(Outcome outcome, SignedRecord record, String reason) {
        this(outcome, record, reason, false);
    }

    public enum Outcome {
        /** New, or a higher version than the one held (which it replaced). */
        ACCEPTED,
        /** The very record already held. */
        DUPLICATE,
        /** An older version than the one held (a replay): ignored. */
        STALE,
        /** The held version number with different content: refused and reported. */
        CONFLICT,
        /** The signature does not verify: refused. */
        FORGED,
        /**
         * Validly signed, but its author may not write records of its kind here ({@link
         * RecordPolicy}): not stored, not forwarded.
         */
        UNAUTHORIZED
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }
}
