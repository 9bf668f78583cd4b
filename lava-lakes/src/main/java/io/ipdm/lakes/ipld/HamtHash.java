package io.ipdm.lakes.ipld;

import io.ipdm.multiformats.Murmur3;

/**
 * The hash a UnixFS HAMT shard (hash type 0x22, murmur3-x64-64) files an entry name under: the
 * first 64 bits ({@code h1}) of MurmurHash3 x64 128 with seed 0 ({@link Murmur3#x64_64}; {@link
 * #of} gives them as 8 bytes little-endian, as js ipfs-unixfs's hash function does); a shard of
 * fanout 2^b takes the next b bits of {@code h1}, most significant first, at each level ({@link
 * #bucket}). Checked against js ipfs-unixfs's hashes ({@code HamtHashTest}) and Helia-built shards
 * ({@code GatewayHeliaPathTest}).
 */
public final class HamtHash {
    /** The multihash code of murmur3-x64-64, a HAMT shard's {@code hashType}. */
    public static final long MURMUR3_X64_64 = 0x22;

    private HamtHash() {}

    /** The 8 hash bytes of {@code name}. */
    public static byte[] of(byte[] name) {
        long h1 = Murmur3.x64_64(name);
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
        long h = 0;
        for (int i = 7; i >= 0; i--) {
            h = (h << 8) | (hash[i] & 0xff);
        }
        return (int) ((h << from) >>> (64 - bits));
    }
}
