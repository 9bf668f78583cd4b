package io.ipdm.mesh.riblt;

import io.ipdm.multiformats.Murmur3;

/**
 * The two pseudo-random functions of RIBLT (Yang, Gilad, Alizadeh, "Practical Rateless Set
 * Reconciliation", SIGCOMM 2024, section 4): a keyed 64-bit checksum of an item (what a coded
 * symbol's hash-sum XORs), and the sequence of coded-symbol indices an item is mapped to.
 *
 * <p>Index mapping: every item is in symbol 0; from index {@code i} the next index is {@code i +
 * ceil((i + 1.5) * (2^32 / sqrt(r + 1) - 1))} for a fresh uniform 64-bit {@code r}, which makes the
 * chance that symbol {@code i} holds a given item {@code 1 / (1 + i/2)} (the paper's density).
 * {@code r} comes from a splitmix64 stream seeded with the item's checksum, so both sides derive
 * the same indices from the item alone.
 *
 * <p>The checksum is keyed with a per-session salt chosen by the initiator, so a peer cannot
 * precompute items whose checksums collide across sessions.
 */
final class ItemHashing {
    private static final double TWO_32 = 4294967296.0;

    private ItemHashing() {}

    /** A 64-bit keyed checksum of the 32-byte item {@code w0..w3}. */
    static long checksum(long salt, long w0, long w1, long w2, long w3) {
        long h = Murmur3.fmix64(salt ^ 0x9E3779B97F4A7C15L);
        h = Murmur3.fmix64(h ^ w0);
        h = Murmur3.fmix64(h ^ w1);
        h = Murmur3.fmix64(h ^ w2);
        h = Murmur3.fmix64(h ^ w3);
        return h;
    }

    /** Advances a splitmix64 state. */
    static long nextState(long state) {
        return state + 0x9E3779B97F4A7C15L;
    }

    /** The splitmix64 output for {@code state}. */
    static long output(long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The index after {@code last}, given the uniform 64-bit value {@code r}. */
    static long nextIndex(long last, long r) {
        double u = (double) (r >>> 1) * 2.0 + (r & 1); // unsigned r as a double
        double gap = Math.ceil((last + 1.5) * (TWO_32 / Math.sqrt(u + 1.0) - 1.0));
        if (gap < 1) {
            gap = 1;
        }
        double next = last + gap;
        // Far beyond any stream a session accepts: park the item there.
        return next >= (double) (Long.MAX_VALUE / 2) ? Long.MAX_VALUE / 2 : (long) next;
    }
}
