package io.ipdm.connectors.solana.replay.split;

import java.util.Comparator;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One getBlock response file, with the number of its rows already emitted (the checkpointed
 * position). Immutable.
 *
 * @param slot the slot the file holds; from the file name or its content
 * @param blockTime the file's {@code blockTime} (seconds), or {@link #NO_BLOCK_TIME}
 */
public final class ReplaySplit implements SourceSplit {
    /** A file without {@code blockTime}: its rows' event time is the lowest there is. */
    public static final long NO_BLOCK_TIME = Long.MIN_VALUE;

    /**
     * Replay order: by block time, then slot, then path. Event time follows block time, so a reader
     * that takes its files in this order never emits a row older than one it emitted before
     * (mainnet and devnet blocks interleave in slot but not in time). Files without a block time
     * come first: their rows' event time is the lowest possible, so they are late behind any
     * watermark.
     */
    public static final Comparator<ReplaySplit> REPLAY_ORDER =
            Comparator.comparingLong(ReplaySplit::blockTime)
                    .thenComparingLong(ReplaySplit::slot)
                    .thenComparing(ReplaySplit::path);

    private final String path;
    private final long slot;
    private final long blockTime;
    private final long recordsEmitted;

    public ReplaySplit(String path, long slot, long blockTime, long recordsEmitted) {
        this.path = Objects.requireNonNull(path, "path");
        this.slot = slot;
        this.blockTime = blockTime;
        this.recordsEmitted = recordsEmitted;
    }

    @Override
    public String splitId() {
        return path;
    }

    public String path() {
        return path;
    }

    public long slot() {
        return slot;
    }

    public long blockTime() {
        return blockTime;
    }

    public long recordsEmitted() {
        return recordsEmitted;
    }

    public ReplaySplit withRecordsEmitted(long n) {
        return new ReplaySplit(path, slot, blockTime, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplaySplit s
                && s.path.equals(path)
                && s.slot == slot
                && s.blockTime == blockTime
                && s.recordsEmitted == recordsEmitted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, slot, blockTime, recordsEmitted);
    }

    @Override
    public String toString() {
        return "ReplaySplit{"
                + path
                + ", slot "
                + slot
                + (blockTime == NO_BLOCK_TIME ? ", no block time" : ", block time " + blockTime)
                + ", emitted "
                + recordsEmitted
                + "}";
    }
}
