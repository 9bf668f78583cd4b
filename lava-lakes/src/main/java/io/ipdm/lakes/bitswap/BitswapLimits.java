package io.ipdm.lakes.bitswap;

/**
 * Bounds on what a peer may send, fixed at construction of the codec and the engine.
 *
 * @param maxMessageBytes largest message (go-bitswap and Helia use 4 MiB)
 * @param maxWantlistEntries most wants one peer may have open with this node (message entries and
 *     the ledger both); more is a flood and the peer is disconnected
 * @param maxBlockBytes largest block (IPFS's 2 MiB)
 * @param maxPresences most HAVE/DONT_HAVE entries in one message
 */
public record BitswapLimits(
        int maxMessageBytes, int maxWantlistEntries, int maxBlockBytes, int maxPresences) {
    public BitswapLimits {
        if (maxMessageBytes < 1024 || maxWantlistEntries < 1 || maxPresences < 1) {
            throw new IllegalArgumentException(
                    "Bitswap limits too small: message "
                            + maxMessageBytes
                            + " bytes, wantlist "
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
        return new BitswapLimits(4 << 20, 1024, 2 << 20, 4096);
    }
}
