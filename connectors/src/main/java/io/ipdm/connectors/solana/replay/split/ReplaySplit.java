package io.ipdm.connectors.solana.replay.split;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One getBlock response file, with the number of its rows already emitted (the checkpointed
 * position). Immutable.
 *
 * @param slot the slot the file holds, for ordering; from the file name or its content
 */
public final class ReplaySplit implements SourceSplit {
    private final String path;
    private final long slot;
    private final long recordsEmitted;

    public ReplaySplit(String path, long slot, long recordsEmitted) {
        this.path = Objects.requireNonNull(path, "path");
        this.slot = slot;
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

    public long recordsEmitted() {
        return recordsEmitted;
    }

    public ReplaySplit withRecordsEmitted(long n) {
        return new ReplaySplit(path, slot, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplaySplit s
                && s.path.equals(path)
                && s.slot == slot
                && s.recordsEmitted == recordsEmitted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, slot, recordsEmitted);
    }

    @Override
    public String toString() {
        return "ReplaySplit{" + path + ", slot " + slot + ", emitted " + recordsEmitted + "}";
    }
}
