package io.ipdm.operators.aggregate.sketch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A mergeable frequent-items sketch (Misra-Gries, with the mergeable summaries of Agarwal et al.
 * 2012). It keeps at most {@code capacity} counters. When a new item does not fit, every counter is
 * lowered by the median count and those at zero are dropped; the total lowered so far is the {@link
 * #maxError()}. A kept count never exceeds the true count and is below it by at most maxError;
 * while fewer than {@code capacity} distinct items were seen, counts are exact.
 *
 * <p>Serialized form, version 1: byte version, int capacity, long stream length, long max error,
 * int count, then per counter the item (modified UTF-8) and its count.
 */
public final class FrequentItems {
    private static final byte VERSION = 1;

    private final int capacity;
    private final HashMap<String, Long> counts;
    private long streamLength;
    private long maxError;

    public FrequentItems(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException(
                    "frequent items capacity must be at least 2, got " + capacity);
        }
        this.capacity = capacity;
        this.counts = new HashMap<>();
    }

    public int capacity() {
        return capacity;
    }

    public long streamLength() {
        return streamLength;
    }

    /** How far below its true count a kept count may be. */
    public long maxError() {
        return maxError;
    }

    public void add(String item) {
        add(item, 1);
    }

    public void add(String item, long count) {
        streamLength += count;
        counts.merge(item, count, Long::sum);
        if (counts.size() > capacity) {
            purge();
        }
    }

    private void purge() {
        while (counts.size() > capacity) {
            long[] values = new long[counts.size()];
            int i = 0;
            for (long v : counts.values()) {
                values[i++] = v;
            }
            Arrays.sort(values);
            long cut = values[values.length / 2];
            maxError += cut;
            Iterator<Map.Entry<String, Long>> it = counts.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                long v = e.getValue() - cut;
                if (v <= 0) {
                    it.remove();
                } else {
                    e.setValue(v);
                }
            }
        }
    }

    /** Adds every count of {@code other}; other is unchanged. */
    public FrequentItems merge(FrequentItems other) {
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Long::sum);
        }
        streamLength += other.streamLength;
        maxError += other.maxError;
        purge();
        return this;
    }

    /** The kept counts (lower bounds of the true counts). */
    public Map<String, Long> counts() {
        return counts;
    }

    /** The k items with the highest counts, highest first, ties by item. */
    public List<Map.Entry<String, Long>> top(int k) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(
                Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue())
                        .reversed()
                        .thenComparing(Map.Entry::getKey));
        return entries.subList(0, Math.min(k, entries.size()));
    }

    public void writeTo(DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        out.writeInt(capacity);
        out.writeLong(streamLength);
        out.writeLong(maxError);
        out.writeInt(counts.size());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    public static FrequentItems readFrom(DataInputView in) throws IOException {
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException(
                    "frequent items state of version "
                            + version
                            + ", this build reads version "
                            + VERSION);
        }
        int capacity = in.readInt();
        if (capacity < 2) {
            throw new IOException("frequent items state with capacity " + capacity + ": corrupt");
        }
        FrequentItems f = new FrequentItems(capacity);
        f.streamLength = in.readLong();
        f.maxError = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > capacity) {
            throw new IOException(
                    "frequent items state with "
                            + n
                            + " counters for capacity "
                            + capacity
                            + ": corrupt");
        }
        for (int i = 0; i < n; i++) {
            f.counts.put(in.readUTF(), in.readLong());
        }
        return f;
    }

    public FrequentItems copy() {
        FrequentItems c = new FrequentItems(capacity);
        c.counts.putAll(counts);
        c.streamLength = streamLength;
        c.maxError = maxError;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrequentItems f
                && f.capacity == capacity
                && f.streamLength == streamLength
                && f.maxError == maxError
                && f.counts.equals(counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    @Override
    public String toString() {
        return "FrequentItems{capacity="
                + capacity
                + ", n="
                + streamLength
                + ", maxError="
                + maxError
                + ", "
                + counts
                + "}";
    }
}
