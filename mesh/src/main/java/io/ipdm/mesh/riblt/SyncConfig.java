package io.ipdm.mesh.riblt;

import java.time.Duration;

/**
 * Limits and pacing of a record reconciliation session, fixed at construction.
 *
 * @param initialBatch coded symbols in the initiator's first batch
 * @param maxBatch most coded symbols in one batch (a larger batch ends the session)
 * @param maxSymbols most coded symbols a session sends or accepts before giving up
 * @param maxDifferences most records one side may lack, and most records a peer may send
 * @param maxValueBytes largest record value accepted
 * @param maxMessageBytes largest protocol message accepted (records are split to fit)
 * @param idleTimeout a session with no message for this long ends
 */
public record SyncConfig(
        int initialBatch,
        int maxBatch,
        long maxSymbols,
        int maxDifferences,
        int maxValueBytes,
        int maxMessageBytes,
        Duration idleTimeout) {
    public SyncConfig {
        if (initialBatch < 1 || maxBatch < initialBatch) {
            throw new IllegalArgumentException(
                    "need 1 <= initialBatch <= maxBatch, got " + initialBatch + ", " + maxBatch);
        }
        if (maxSymbols < 1 || maxDifferences < 1) {
            throw new IllegalArgumentException("maxSymbols and maxDifferences must be positive");
        }
        long symbolsMessage = 64L + 50L * maxBatch;
        long recordMessage = 64L + maxValueBytes + SyncCodec.RECORD_OVERHEAD;
        if (maxMessageBytes < symbolsMessage || maxMessageBytes < recordMessage) {
            throw new IllegalArgumentException(
                    "maxMessageBytes "
                            + maxMessageBytes
                            + " cannot hold a batch of "
                            + maxBatch
                            + " symbols ("
                            + symbolsMessage
                            + " bytes) or one record of "
                            + maxValueBytes
                            + " value bytes ("
                            + recordMessage
                            + " bytes)");
        }
    }

    /** 64 symbols first, batches of up to 4096, 1M symbols, 100k differences, 64 KiB values. */
    public static SyncConfig defaults() {
        return new SyncConfig(
                64, 4096, 1 << 20, 100_000, 64 << 10, 4 << 20, Duration.ofSeconds(30));
    }
}
