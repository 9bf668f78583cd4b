package io.ipdm.lakes.policy;

import io.ipdm.multiformats.Cid;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads per block within a sliding window (two half-window buckets), and the last read time. Feeds
 * the lifecycle (idle blocks go cold) and replication (popular blocks get more replicas).
 * Thread-safe.
 */
public final class AccessTracker {
    private record Counts(long bucket, long current, long previous, long lastMillis) {}

    private final ConcurrentHashMap<Cid, Counts> counts = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long halfWindowMillis;

    public AccessTracker(Clock clock, java.time.Duration window) {
        this.clock = clock;
        this.halfWindowMillis = Math.max(1, window.toMillis() / 2);
    }

    public void recordRead(Cid cid) {
        long now = clock.millis();
        long bucket = now / halfWindowMillis;
        counts.compute(
                cid,
                (k, c) -> {
                    if (c == null) {
                        return new Counts(bucket, 1, 0, now);
                    }
                    if (c.bucket == bucket) {
                        return new Counts(bucket, c.current + 1, c.previous, now);
                    }
                    long prev = c.bucket == bucket - 1 ? c.current : 0;
                    return new Counts(bucket, 1, prev, now);
                });
    }

    /** Reads within roughly the last window. */
    public long reads(Cid cid) {
        Counts c = counts.get(cid);
        if (c == null) {
            return 0;
        }
        long bucket = clock.millis() / halfWindowMillis;
        if (c.bucket == bucket) {
            return c.current + c.previous;
        }
        return c.bucket == bucket - 1 ? c.current : 0;
    }

    /** Millis of the last read, or -1 if never read. */
    public long lastReadMillis(Cid cid) {
        Counts c = counts.get(cid);
        return c == null ? -1 : c.lastMillis;
    }

    /** Forgets blocks not read for two windows, bounding memory. */
    public void trim() {
        long bucket = clock.millis() / halfWindowMillis;
        counts.values().removeIf(c -> c.bucket < bucket - 3);
    }
}
