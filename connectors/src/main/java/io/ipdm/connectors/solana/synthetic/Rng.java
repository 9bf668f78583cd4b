package io.ipdm.connectors.solana.synthetic;

/**
 * SplitMix64: tiny, fast, and good enough for workload shapes. One instance per slot, seeded from
 * (seed, slot), which makes a slot's content independent of which reader generates it.
 */
final class Rng {
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    void reseed(long seed) {
        this.state = seed;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed for one slot's generator. */
    static long slotSeed(long seed, long slot, long stream) {
        return mix(mix(seed ^ 0x632BE59BD9B4E019L) + slot * 0x9E3779B97F4A7C15L + stream);
    }

    long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform in [0, n). */
    int nextInt(int n) {
        return (int) (((nextLong() >>> 32) * n) >>> 32);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
