package io.ipdm.connectors.solana.archive;

/**
 * xxHash64 (seed 0) as specified in the xxHash format description, which Old Faithful's compact
 * indexes hash keys with. One-shot over a byte array; {@link #hash(byte[], byte[])} hashes the
 * concatenation of two arrays without copying more than 32 bytes.
 */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {}

    static long hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** The hash of {@code a} followed by {@code b}. */
    static long hash(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return hash(all, 0, all.length);
    }

    static long hash(byte[] d, int off, int len) {
        int end = off + len;
        int p = off;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            int limit = end - 32;
            do {
                v1 = round(v1, le64(d, p));
                v2 = round(v2, le64(d, p + 8));
                v3 = round(v3, le64(d, p + 16));
                v4 = round(v4, le64(d, p + 24));
                p += 32;
            } while (p <= limit);
            h =
                    Long.rotateLeft(v1, 1)
                            + Long.rotateLeft(v2, 7)
                            + Long.rotateLeft(v3, 12)
                            + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        while (p + 8 <= end) {
            h ^= round(0, le64(d, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= (le32(d, p) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (d[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long h, long v) {
        h ^= round(0, v);
        return h * P1 + P4;
    }

    private static long le64(byte[] d, int p) {
        return (d[p] & 0xFFL)
                | (d[p + 1] & 0xFFL) << 8
                | (d[p + 2] & 0xFFL) << 16
                | (d[p + 3] & 0xFFL) << 24
                | (d[p + 4] & 0xFFL) << 32
                | (d[p + 5] & 0xFFL) << 40
                | (d[p + 6] & 0xFFL) << 48
                | (d[p + 7] & 0xFFL) << 56;
    }

    private static int le32(byte[] d, int p) {
        return (d[p] & 0xFF)
                | (d[p + 1] & 0xFF) << 8
                | (d[p + 2] & 0xFF) << 16
                | (d[p + 3] & 0xFF) << 24;
    }
}
