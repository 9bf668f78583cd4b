package io.ipdm.lakes.ipld;

/**
 * The hash a UnixFS HAMT shard (hash type 0x22, murmur3-x64-64) files an entry name under: the
 * first 64 bits ({@code h1}) of MurmurHash3 x64 128 with seed 0 ({@link #of} gives them as 8 bytes
 * little-endian, as js ipfs-unixfs's hash function does); a shard of fanout 2^b takes the next b
 * bits of {@code h1}, most significant first, at each level ({@link #bucket}). Checked against js
 * ipfs-unixfs's hashes ({@code HamtHashTest}) and Helia-built shards ({@code
 * GatewayHeliaPathTest}).
 */
public final class HamtHash {
    /** The multihash code of murmur3-x64-64, a HAMT shard's {@code hashType}. */
    public static final long MURMUR3_X64_64 = 0x22;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private HamtHash() {}

    /** The 8 hash bytes of {@code name}. */
    public static byte[] of(byte[] name) {
        long h1 = 0;
        long h2 = 0;
        int blocks = name.length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = littleEndian(name, i * 16, 8);
            long k2 = littleEndian(name, i * 16 + 8, 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        int rest = name.length - tail;
        if (rest > 8) {
            h2 ^= mixK2(littleEndian(name, tail + 8, rest - 8));
        }
        if (rest > 0) {
            h1 ^= mixK1(littleEndian(name, tail, Math.min(rest, 8)));
        }
        h1 ^= name.length;
        h2 ^= name.length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (h1 >>> (8 * i));
        }
        return out;
    }

    /**
     * The bucket index at {@code level} for a shard of {@code bits}-bit fanout, or -1 when the 64
     * hash bits are used up.
     */
    public static int bucket(byte[] hash, int level, int bits) {
        int from = level * bits;
        if (from + bits > 64) {
            return -1;
        }
        long h = littleEndian(hash, 0, 8);
        return (int) ((h << from) >>> (64 - bits));
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long littleEndian(byte[] b, int off, int len) {
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
