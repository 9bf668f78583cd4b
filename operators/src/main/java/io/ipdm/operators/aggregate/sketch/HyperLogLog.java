package io.ipdm.operators.aggregate.sketch;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A mergeable distinct-count sketch. Below {@link #EXACT_LIMIT} distinct hashes it keeps the 64-bit
 * hashes themselves (exact but for hash collisions); beyond, HyperLogLog registers (Flajolet et al.
 * 2007) with 2^p one-byte registers: relative standard error 1.04 / sqrt(2^p), 1.6% at p = 12 in 4
 * KiB. Small-range estimates use linear counting; with 64-bit hashes no large-range correction is
 * needed.
 *
 * <p>Serialized form, version 1: byte version, byte p, then either byte 0, int count, count longs
 * (sorted hashes), or byte 1 and 2^p register bytes.
 */
public final class HyperLogLog {
    public static final int EXACT_LIMIT = 256;
    private static final byte VERSION = 1;

    private final int p;
    private long[] hashes; // exact mode: sorted, distinct, first hashCount used
    private int hashCount;
    private byte[] registers; // estimating mode

    public HyperLogLog(int p) {
        if (p < 4 || p > 18) {
            throw new IllegalArgumentException(
                    "HyperLogLog precision must be in [4, 18], got " + p);
        }
        this.p = p;
        this.hashes = new long[8];
    }

    public int precision() {
        return p;
    }

    public void add(long hash) {
        if (registers != null) {
            addToRegisters(hash);
            return;
        }
        int i = Arrays.binarySearch(hashes, 0, hashCount, hash);
        if (i >= 0) {
            return;
        }
        int at = -i - 1;
        if (hashCount == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashCount * 2);
        }
        System.arraycopy(hashes, at, hashes, at + 1, hashCount - at);
        hashes[at] = hash;
        hashCount++;
        if (hashCount > EXACT_LIMIT) {
            toRegisters();
        }
    }

    private void toRegisters() {
        registers = new byte[1 << p];
        for (int i = 0; i < hashCount; i++) {
            addToRegisters(hashes[i]);
        }
        hashes = null;
        hashCount = 0;
    }

    private void addToRegisters(long hash) {
        int idx = (int) (hash >>> (64 - p));
        // rank of the first 1 bit in the remaining 64 - p bits (a guard bit bounds it)
        int rank = Long.numberOfLeadingZeros((hash << p) | (1L << (p - 1))) + 1;
        if (rank > registers[idx]) {
            registers[idx] = (byte) rank;
        }
    }

    /** Adds every value of {@code other} to this sketch; other is unchanged. */
    public HyperLogLog merge(HyperLogLog other) {
        if (other.p != p) {
            throw new IllegalArgumentException(
                    "cannot merge HyperLogLog of precision " + other.p + " into " + p);
        }
        if (other.registers == null) {
            for (int i = 0; i < other.hashCount; i++) {
                add(other.hashes[i]);
            }
            return this;
        }
        if (registers == null) {
            toRegisters();
        }
        for (int i = 0; i < registers.length; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
        return this;
    }

    public boolean isExact() {
        return registers == null;
    }

    public long estimate() {
        if (registers == null) {
            return hashCount;
        }
        int m = registers.length;
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / m);
        double e = alpha * m * (double) m / sum;
        if (e <= 2.5 * m && zeros > 0) {
            e = m * Math.log((double) m / zeros);
        }
        return Math.round(e);
    }

    public void writeTo(DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(p);
        if (registers == null) {
            out.writeByte(0);
            out.writeInt(hashCount);
            for (int i = 0; i < hashCount; i++) {
                out.writeLong(hashes[i]);
            }
        } else {
            out.writeByte(1);
            out.write(registers);
        }
    }

    public static HyperLogLog readFrom(DataInputView in) throws IOException {
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException(
                    "HyperLogLog state of version "
                            + version
                            + ", this build reads version "
                            + VERSION);
        }
        int p = in.readByte();
        if (p < 4 || p > 18) {
            throw new IOException("HyperLogLog state with precision " + p + ": corrupt");
        }
        HyperLogLog h = new HyperLogLog(p);
        int mode = in.readByte();
        if (mode == 0) {
            int n = in.readInt();
            if (n < 0 || n > EXACT_LIMIT) {
                throw new IOException("HyperLogLog state with " + n + " exact hashes: corrupt");
            }
            h.hashes = new long[Math.max(8, n)];
            for (int i = 0; i < n; i++) {
                h.hashes[i] = in.readLong();
            }
            h.hashCount = n;
        } else if (mode == 1) {
            h.hashes = null;
            h.registers = new byte[1 << p];
            in.readFully(h.registers);
        } else {
            throw new IOException("HyperLogLog state with mode " + mode + ": corrupt");
        }
        return h;
    }

    public HyperLogLog copy() {
        HyperLogLog c = new HyperLogLog(p);
        c.hashes = hashes == null ? null : hashes.clone();
        c.hashCount = hashCount;
        c.registers = registers == null ? null : registers.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HyperLogLog h
                && h.p == p
                && h.hashCount == hashCount
                && Arrays.equals(h.registers, registers)
                && (registers != null
                        || Arrays.equals(h.hashes, 0, hashCount, hashes, 0, hashCount));
    }

    @Override
    public int hashCode() {
        return registers != null ? Arrays.hashCode(registers) : hashCount;
    }

    @Override
    public String toString() {
        return "HyperLogLog{p="
                + p
                + (registers == null ? ", exact " : ", estimate ")
                + estimate()
                + "}";
    }
}
