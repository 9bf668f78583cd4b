package io.ipdm.lakes.bitswap;

/**
 * Bounds on what a peer may send, fixed at construction of the codec and the engine.
 *
 * @param maxMessageBytes largest message (go-bitswap and Helia use 4 MiB)
 * @param maxMessageEntries most wantlist entries in one message; more is a flood and the peer is
 *     banned
 * @param maxWantlistEntries most wants of one peer kept waiting for blocks this node lacks (Helia's
 *     default ledger size); further wants for missing blocks are refused (DONT_HAVE when asked),
 *     and a peer that has {@link #FLOOD_FACTOR} times this many refused is banned
 * @param maxBlockBytes largest block (IPFS's 2 MiB)
 * @param maxPresences most HAVE/DONT_HAVE entries in one message
 */
public record BitswapLimits(
        int maxMessageBytes,
        int maxMessageEntries,
        int maxWantlistEntries,
        int maxBlockBytes,
        int maxPresences) {
    /** Refused wants, in units of {@code maxWantlistEntries}, that make a peer a flooder. */
    public static final int FLOOD_FACTOR = 10;

    public BitswapLimits {
        if (maxMessageBytes < 1024
                || maxMessageEntries < 1
                || maxWantlistEntries < 1
                || maxPresences < 1) {
            throw new IllegalArgumentException(
                    "Bitswap limits too small: message "
                            + maxMessageBytes
                            + " bytes and "
                            + maxMessageEntries
                            + " entries, wantlist "
                            + maxWantlistEntries
                            + ", presences "
                            + maxPresences);
        }
        if (maxBlockBytes < 1 || maxBlockBytes > maxMessageBytes - 1024) {
            throw new IllegalArgumentException(
                    "maxBlockBytes "
                            + maxBlockBytes
                            + " must be positive and leave 1 KiB of a "
                            + maxMessageBytes
                            + "-byte message for framing");
        }
    }

    public static BitswapLimits defaults() {
        return new BitswapLimits(4 << 20, 16_384, 1024, 2 << 20, 4096);
    }
}
