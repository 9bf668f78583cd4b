package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A point in the Kademlia key space: {@code sha256(key)} for a record key or a peer id's bytes, as
 * the kad-dht spec defines distance ({@code XOR(sha256(key1), sha256(key2))}). The natural order is
 * the keys as unsigned big-endian numbers: the keys sharing a prefix with any key are then
 * contiguous, which the durability protocol's closest-peers index relies on.
 */
public final class KadKey implements Comparable<KadKey> {
    public static final int BITS = 256;
    private final byte[] hash;
    private final int hashCode;

    private KadKey(byte[] hash) {
        this.hash = hash;
        this.hashCode = Arrays.hashCode(hash);
    }

    /** The key-space point of raw key bytes (a multihash, a peer id's bytes). */
    public static KadKey of(byte[] key) {
        try {
            return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static KadKey of(PeerId peer) {
        return of(peer.toBytes());
    }

    /** A point given directly (e.g. random refresh targets): 32 bytes. */
    public static KadKey ofHash(byte[] hash32) {
        if (hash32.length != 32) {
            throw new IllegalArgumentException("a kad key is 32 bytes, got " + hash32.length);
        }
        return new KadKey(hash32.clone());
    }

    /** Leading bits {@code this} and {@code o} share (256 for equal keys). */
    public int commonPrefixLength(KadKey o) {
        for (int i = 0; i < hash.length; i++) {
            int x = (hash[i] ^ o.hash[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** The first {@code bits} (0..31) bits of the key as a non-negative int (a bucket of keys). */
    public int prefix(int bits) {
        if (bits < 0 || bits > 31) {
            throw new IllegalArgumentException("prefix of 0..31 bits, got " + bits);
        }
        int top =
                ((hash[0] & 0xFF) << 24)
                        | ((hash[1] & 0xFF) << 16)
                        | ((hash[2] & 0xFF) << 8)
                        | (hash[3] & 0xFF);
        return bits == 0 ? 0 : top >>> (32 - bits);
    }

    /** Negative when {@code a} is closer to {@code this} than {@code b}. */
    public int compareDistance(KadKey a, KadKey b) {
        for (int i = 0; i < hash.length; i++) {
            int da = (a.hash[i] ^ hash[i]) & 0xFF;
            int db = (b.hash[i] ^ hash[i]) & 0xFF;
            if (da != db) {
                return da - db;
            }
        }
        return 0;
    }

    /** Unsigned big-endian order of the key-space points. */
    @Override
    public int compareTo(KadKey o) {
        return Arrays.compareUnsigned(hash, o.hash);
    }

    public Comparator<KadKey> byDistance() {
        return this::compareDistance;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadKey k && Arrays.equals(k.hash, hash);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(hash, 0, 8) + "…";
    }
}
