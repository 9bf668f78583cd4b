package io.ipdm.lakes.bitswap;

import java.time.Duration;

/**
 * Bitswap engine settings.
 *
 * @param limits what peers may send (message, wantlist and block sizes)
 * @param targetMessageBytes block bytes gathered into one outgoing message before starting another
 * @param maxOutstandingBytes block bytes sent to one peer that may still wait in this node's
 *     streams (not yet taken by the peer's windows) before more of its wants are served
 * @param wantTimeout how long a peer asked for a block may stay silent (send nothing at all) before
 *     another peer is asked; the silent one loses {@link #TIMEOUT_PENALTY} points, but silence
 *     alone never gets it banned
 * @param banScore score at or below which a peer is disconnected and banned; a peer that sends
 *     wrong bytes, a malformed or oversized message, or floods its wantlist drops to it at once
 * @param banDuration how long a banned peer is refused
 */
public record BitswapConfig(
        BitswapLimits limits,
        int targetMessageBytes,
        long maxOutstandingBytes,
        Duration wantTimeout,
        int banScore,
        Duration banDuration) {
    /** Points a peer loses for a want-block it left unanswered past {@link #wantTimeout}. */
    public static final int TIMEOUT_PENALTY = 10;

    public BitswapConfig {
        if (targetMessageBytes < 1 || targetMessageBytes > limits.maxMessageBytes()) {
            throw new IllegalArgumentException(
                    "targetMessageBytes "
                            + targetMessageBytes
                            + " must be in 1.."
                            + limits.maxMessageBytes());
        }
        if (maxOutstandingBytes < limits.maxBlockBytes()) {
            throw new IllegalArgumentException(
                    "maxOutstandingBytes "
                            + maxOutstandingBytes
                            + " must hold at least one block of "
                            + limits.maxBlockBytes());
        }
        if (wantTimeout.isNegative() || wantTimeout.isZero() || banScore <= 0) {
            throw new IllegalArgumentException("wantTimeout and banScore must be positive");
        }
    }

    public static BitswapConfig defaults() {
        return new BitswapConfig(
                BitswapLimits.defaults(),
                1 << 20,
                16L << 20,
                Duration.ofSeconds(5),
                100,
                Duration.ofMinutes(10));
    }

    public BitswapConfig withLimits(BitswapLimits l) {
        return new BitswapConfig(
                l, targetMessageBytes, maxOutstandingBytes, wantTimeout, banScore, banDuration);
    }

    public BitswapConfig withWantTimeout(Duration t) {
        return new BitswapConfig(
                limits, targetMessageBytes, maxOutstandingBytes, t, banScore, banDuration);
    }
}
