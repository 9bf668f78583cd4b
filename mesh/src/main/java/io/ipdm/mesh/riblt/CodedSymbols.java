package io.ipdm.mesh.riblt;

import java.util.Arrays;

/**
 * A run of coded symbols: symbol {@code i} of the run is the stream's symbol {@code first + i}.
 * Each holds the XOR of the 32-byte items mapped to it (as four longs), the XOR of their checksums,
 * and a signed count (items added minus items removed).
 */
public final class CodedSymbols {
    public static final int ITEM_BYTES = 32;

    private final long first;
    long[] sums;
    long[] hashes;
    long[] counts;
    private int size;

    public CodedSymbols(long first, int capacity) {
        this.first = first;
        this.sums = new long[Math.max(1, capacity) * 4];
        this.hashes = new long[Math.max(1, capacity)];
        this.counts = new long[Math.max(1, capacity)];
    }

    /** The stream index of this run's first symbol. */
    public long first() {
        return first;
    }

    public int size() {
        return size;
    }

    /** Appends an empty symbol and returns its position in the run. */
    int addEmpty() {
        if (size == hashes.length) {
            int cap = hashes.length * 2;
            sums = Arrays.copyOf(sums, cap * 4);
            hashes = Arrays.copyOf(hashes, cap);
            counts = Arrays.copyOf(counts, cap);
        }
        return size++;
    }

    /** Appends a symbol given its parts (as read from the wire). */
    public void add(long s0, long s1, long s2, long s3, long hash, long count) {
        int i = addEmpty();
        sums[4 * i] = s0;
        sums[4 * i + 1] = s1;
        sums[4 * i + 2] = s2;
        sums[4 * i + 3] = s3;
        hashes[i] = hash;
        counts[i] = count;
    }

    public long sum(int i, int word) {
        return sums[4 * i + word];
    }

    public long hash(int i) {
        return hashes[i];
    }

    public long count(int i) {
        return counts[i];
    }

    void xorItem(int i, long w0, long w1, long w2, long w3, long h, long sign) {
        sums[4 * i] ^= w0;
        sums[4 * i + 1] ^= w1;
        sums[4 * i + 2] ^= w2;
        sums[4 * i + 3] ^= w3;
        hashes[i] ^= h;
        counts[i] += sign;
    }
}
