package io.ipdm.lakes.piece;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streaming CommP. Input is cut into chunks of 127 x 2^13 bytes; each chunk is Fr32 padded into
 * 2^15 leaves (1 MiB) and reduced layer by layer in place with one reused {@link MessageDigest}
 * (one digest call per node, no allocation), and the chunk root joins a stack of pending left
 * siblings. With two threads the two halves of a chunk are reduced concurrently. The tail is
 * completed with precomputed zero-subtree roots. Not thread-safe; use as an {@link OutputStream} or
 * through {@link #update}.
 */
public final class CommP extends OutputStream {
    private static final int CHUNK_LEVEL = 15;
    private static final int CHUNK_IN = Fr32.IN << (CHUNK_LEVEL - 2);
    private static final int MAX_LEVEL = 64;
    static final byte[][] ZERO = zeroCommitments();

    private final byte[] input = new byte[CHUNK_IN];
    private final byte[] leaves = new byte[32 << CHUNK_LEVEL];
    private final byte[][] stack = new byte[MAX_LEVEL][];
    private final MessageDigest md = sha256();
    private final MessageDigest md2;
    private final ExecutorService helper;
    private int filled;
    private long total;
    private boolean finished;

    /** A single-threaded CommP. */
    public CommP() {
        this(1);
    }

    /** {@code threads} 1 or 2: with 2, a helper thread reduces half of every chunk. */
    public CommP(int threads) {
        if (threads != 1 && threads != 2) {
            throw new IllegalArgumentException("CommP uses 1 or 2 threads, not " + threads);
        }
        md2 = threads == 2 ? sha256() : null;
        helper =
                threads == 2
                        ? Executors.newSingleThreadExecutor(
                                r -> {
                                    Thread t = new Thread(r, "commp-helper");
                                    t.setDaemon(true);
                                    return t;
                                })
                        : null;
    }

    /** CommP of a whole array. */
    public static PieceCommitment of(byte[] data) {
        CommP c = new CommP();
        c.update(data, 0, data.length);
        return c.finish();
    }

    public void update(byte[] b, int off, int len) {
        if (finished) {
            throw new IllegalStateException("CommP already finished");
        }
        total += len;
        while (len > 0) {
            int n = Math.min(len, CHUNK_IN - filled);
            System.arraycopy(b, off, input, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == CHUNK_IN) {
                push(CHUNK_LEVEL, reduceChunk(CHUNK_LEVEL));
                filled = 0;
            }
        }
    }

    @Override
    public void write(int b) {
        update(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        update(b, off, len);
    }

    @Override
    public void close() {
        if (helper != null) {
            helper.shutdownNow();
        }
    }

    public PieceCommitment finish() {
        if (finished) {
            throw new IllegalStateException("CommP already finished");
        }
        finished = true;
        try {
            long quanta = Math.max(1, (total + Fr32.IN - 1) / Fr32.IN);
            int height = Math.max(2, 64 - Long.numberOfLeadingZeros(quanta * 4 - 1));
            byte[] acc = null;
            int accLevel = 0;
            if (filled > 0 || total == 0) {
                int q = Math.max(1, (filled + Fr32.IN - 1) / Fr32.IN);
                java.util.Arrays.fill(input, filled, q * Fr32.IN, (byte) 0);
                accLevel = Math.max(2, 32 - Integer.numberOfLeadingZeros(q * 4 - 1));
                acc = reducePartial(q, accLevel);
            }
            for (int l = accLevel; l < height; l++) {
                if (acc != null) {
                    acc = stack[l] != null ? node(stack[l], acc) : node(acc, ZERO[l]);
                    stack[l] = null;
                } else if (stack[l] != null) {
                    acc = node(stack[l], ZERO[l]);
                    stack[l] = null;
                }
                if (acc != null) {
                    accLevel = l + 1;
                }
            }
            byte[] root = acc != null ? acc : stack[height];
            return new PieceCommitment(root, total, 32L << height);
        } finally {
            close();
        }
    }

    private void push(int level, byte[] node) {
        while (stack[level] != null) {
            node = node(stack[level], node);
            stack[level] = null;
            level++;
        }
        stack[level] = node;
    }

    /** Pads q quanta of input and reduces them, with zero leaves up to 2^level, to one node. */
    private byte[] reducePartial(int q, int level) {
        for (int i = 0; i < q; i++) {
            Fr32.pad(input, i * Fr32.IN, leaves, i * Fr32.OUT);
        }
        java.util.Arrays.fill(leaves, q * Fr32.OUT, 32 << level, (byte) 0);
        reduce(md, leaves, 0, 1 << level);
        return java.util.Arrays.copyOf(leaves, 32);
    }

    private byte[] reduceChunk(int level) {
        int quanta = CHUNK_IN / Fr32.IN;
        if (helper == null) {
            for (int i = 0; i < quanta; i++) {
                Fr32.pad(input, i * Fr32.IN, leaves, i * Fr32.OUT);
            }
            reduce(md, leaves, 0, 1 << level);
            return java.util.Arrays.copyOf(leaves, 32);
        }
        int half = quanta / 2;
        int halfBytes = 32 << (level - 1);
        Future<?> right =
                helper.submit(
                        () -> {
                            for (int i = half; i < quanta; i++) {
                                Fr32.pad(input, i * Fr32.IN, leaves, i * Fr32.OUT);
                            }
                            reduce(md2, leaves, halfBytes, 1 << (level - 1));
                        });
        for (int i = 0; i < half; i++) {
            Fr32.pad(input, i * Fr32.IN, leaves, i * Fr32.OUT);
        }
        reduce(md, leaves, 0, 1 << (level - 1));
        try {
            right.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("CommP helper failed", e.getCause());
        }
        System.arraycopy(leaves, halfBytes, leaves, 32, 32);
        hash(md, leaves, 0, leaves, 0);
        return java.util.Arrays.copyOf(leaves, 32);
    }

    /** Reduces {@code count} (a power of two) nodes at {@code buf[off..]} in place to one. */
    private static void reduce(MessageDigest md, byte[] buf, int off, int count) {
        for (int n = count / 2; n >= 1; n /= 2) {
            for (int i = 0; i < n; i++) {
                hash(md, buf, off + 64 * i, buf, off + 32 * i);
            }
        }
    }

    private static void hash(MessageDigest md, byte[] in, int inOff, byte[] out, int outOff) {
        md.update(in, inOff, 64);
        try {
            md.digest(out, outOff, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        out[outOff + 31] &= 0x3F;
    }

    private byte[] node(byte[] left, byte[] right) {
        byte[] b = new byte[64];
        System.arraycopy(left, 0, b, 0, 32);
        System.arraycopy(right, 0, b, 32, 32);
        hash(md, b, 0, b, 0);
        return java.util.Arrays.copyOf(b, 32);
    }

    private static byte[][] zeroCommitments() {
        byte[][] z = new byte[MAX_LEVEL][];
        z[0] = new byte[32];
        MessageDigest md = sha256();
        for (int i = 1; i < MAX_LEVEL; i++) {
            byte[] b = new byte[64];
            System.arraycopy(z[i - 1], 0, b, 0, 32);
            System.arraycopy(z[i - 1], 0, b, 32, 32);
            hash(md, b, 0, b, 0);
            z[i] = java.util.Arrays.copyOf(b, 32);
        }
        return z;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
