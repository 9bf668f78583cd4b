package io.ipdm.operators.aggregate.sketch;

import io.ipdm.multiformats.Murmur3;

/**
 * 64-bit hashes of values for distinct counting: the same value gives the same hash on every JVM
 * (unlike {@code String.hashCode}, which is only 32 bits).
 */
public final class Hashing {
    private Hashing() {}

    /**
     * FNV-1a over the UTF-16 code units, then MurmurHash3's 64-bit finalizer ({@link
     * Murmur3#fmix64}).
     */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return Murmur3.fmix64(h ^ s.length());
    }

    /** Integers hash by value (an Integer and a Long of the same value hash alike). */
    public static long hash(long v) {
        return Murmur3.fmix64(v ^ 0x9e3779b97f4a7c15L);
    }

    public static long hash(double v) {
        return Murmur3.fmix64(Double.doubleToLongBits(v == 0.0 ? 0.0 : v) ^ 0x632be59bd9b4e019L);
    }

    public static long hash(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return hash(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return hash(((Number) v).doubleValue());
        }
        return hash(v.toString());
    }
}
