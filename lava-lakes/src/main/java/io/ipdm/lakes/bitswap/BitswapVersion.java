package io.ipdm.lakes.bitswap;

/**
 * The Bitswap protocol versions this node speaks, newest first. 1.2.0 adds want-have, block
 * presences (HAVE / DONT_HAVE) and pending bytes; 1.1.0 sends blocks with their CID prefix; 1.0.0
 * sends bare block bytes (CIDv0 only).
 */
public enum BitswapVersion {
    V120("/ipfs/bitswap/1.2.0"),
    V110("/ipfs/bitswap/1.1.0"),
    V100("/ipfs/bitswap/1.0.0");

    private final String protocolId;

    BitswapVersion(String protocolId) {
        this.protocolId = protocolId;
    }

    public String protocolId() {
        return protocolId;
    }

    /** Whether the version carries want-have, HAVE and DONT_HAVE. */
    public boolean hasPresences() {
        return this == V120;
    }

    public static BitswapVersion forProtocol(String id) {
        for (BitswapVersion v : values()) {
            if (v.protocolId.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("not a Bitswap protocol id: " + id);
    }
}
