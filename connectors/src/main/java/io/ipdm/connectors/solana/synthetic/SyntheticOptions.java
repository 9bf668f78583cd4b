package io.ipdm.connectors.solana.synthetic;

import java.io.Serializable;

/**
 * What the synthetic chain looks like and how much of it to make. Immutable; build with {@link
 * #builder()}. Defaults resemble Solana mainnet in 2024-25: ~1,500 transactions per 400 ms slot,
 * 75% votes, 7% of non-vote transactions failing, 5% skipped slots.
 *
 * @param endSlot exclusive; {@code null} for an unbounded source
 * @param targetRate transactions per second over all readers; 0 for as fast as possible
 * @param slotsPerSplit how many slots a split covers (the unit of work handed to a reader)
 * @param lateFraction share of transactions (and blocks) whose {@code block_time} is moved back by
 *     {@code lateBySeconds}, chosen by slot and index (the same ones in every run): rows that reach
 *     a window after its watermark passed, to exercise allowed lateness and re-firing
 */
public record SyntheticOptions(
        long seed,
        long startSlot,
        Long endSlot,
        int transactionsPerSlot,
        double voteFraction,
        double failureRate,
        double skippedSlotRate,
        double v0Fraction,
        double targetRate,
        int slotsPerSplit,
        int accountPoolSize,
        int validatorCount,
        double lateFraction,
        long lateBySeconds)
        implements Serializable {

    public SyntheticOptions {
        check(startSlot >= 0, "startSlot must be >= 0, got " + startSlot);
        check(
                endSlot == null || endSlot > startSlot,
                "endSlot (" + endSlot + ") must be greater than startSlot (" + startSlot + ")");
        check(
                startSlot < (1L << 43) && (endSlot == null || endSlot < (1L << 43)),
                "slots must be below 2^43");
        check(
                transactionsPerSlot >= 1 && transactionsPerSlot <= 100_000,
                "transactionsPerSlot must be in [1, 100000], got " + transactionsPerSlot);
        check(
                voteFraction >= 0 && voteFraction <= 1,
                "voteFraction must be in [0, 1], got " + voteFraction);
        check(
                failureRate >= 0 && failureRate <= 1,
                "failureRate must be in [0, 1], got " + failureRate);
        check(
                skippedSlotRate >= 0 && skippedSlotRate < 1,
                "skippedSlotRate must be in [0, 1), got " + skippedSlotRate);
        check(
                v0Fraction >= 0 && v0Fraction <= 1,
                "v0Fraction must be in [0, 1], got " + v0Fraction);
        check(targetRate >= 0, "targetRate must be >= 0 (0 = unthrottled), got " + targetRate);
        check(slotsPerSplit >= 1, "slotsPerSplit must be >= 1, got " + slotsPerSplit);
        check(accountPoolSize >= 16, "accountPoolSize must be >= 16, got " + accountPoolSize);
        check(validatorCount >= 1, "validatorCount must be >= 1, got " + validatorCount);
        check(
                lateFraction >= 0 && lateFraction <= 1,
                "lateFraction must be in [0, 1], got " + lateFraction);
        check(lateBySeconds >= 0, "lateBy must not be negative, got " + lateBySeconds + " s");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic Solana source: " + message);
        }
    }

    public boolean bounded() {
        return endSlot != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with mainnet-like defaults; unbounded from slot 300,000,000 unless told. */
    public static final class Builder {
        private long seed = 42;
        private long startSlot = 300_000_000L;
        private Long endSlot;
        private int transactionsPerSlot = 1500;
        private double voteFraction = 0.75;
        private double failureRate = 0.07;
        private double skippedSlotRate = 0.05;
        private double v0Fraction = 0.4;
        private double targetRate;
        private int slotsPerSplit = 100;
        private int accountPoolSize = 50_000;
        private int validatorCount = 1_500;
        private double lateFraction;
        private long lateBySeconds = 100;

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder startSlot(long v) {
            startSlot = v;
            return this;
        }

        /** Exclusive end; makes the source bounded. */
        public Builder endSlot(long v) {
            endSlot = v;
            return this;
        }

        /** Bounded span of chain time from the start slot (400 ms per slot). */
        public Builder duration(java.time.Duration chainTime) {
            endSlot = startSlot + Math.max(1, chainTime.toMillis() / 400);
            return this;
        }

        public Builder unbounded() {
            endSlot = null;
            return this;
        }

        public Builder transactionsPerSlot(int v) {
            transactionsPerSlot = v;
            return this;
        }

        public Builder voteFraction(double v) {
            voteFraction = v;
            return this;
        }

        public Builder failureRate(double v) {
            failureRate = v;
            return this;
        }

        public Builder skippedSlotRate(double v) {
            skippedSlotRate = v;
            return this;
        }

        public Builder v0Fraction(double v) {
            v0Fraction = v;
            return this;
        }

        /** Transactions per second over the whole source; 0 (default) = unthrottled. */
        public Builder targetRate(double v) {
            targetRate = v;
            return this;
        }

        public Builder slotsPerSplit(int v) {
            slotsPerSplit = v;
            return this;
        }

        public Builder accountPoolSize(int v) {
            accountPoolSize = v;
            return this;
        }

        public Builder validatorCount(int v) {
            validatorCount = v;
            return this;
        }

        public Builder lateFraction(double v) {
            lateFraction = v;
            return this;
        }

        public Builder lateBy(java.time.Duration d) {
            lateBySeconds = d.toSeconds();
            return this;
        }

        public SyntheticOptions build() {
            return new SyntheticOptions(
                    seed,
                    startSlot,
                    endSlot,
                    transactionsPerSlot,
                    voteFraction,
                    failureRate,
                    skippedSlotRate,
                    v0Fraction,
                    targetRate,
                    slotsPerSplit,
                    accountPoolSize,
                    validatorCount,
                    lateFraction,
                    lateBySeconds);
        }
    }
}
