package io.ipdm.mesh.multiformats;

/**
 * A multiformat value (varint, base58btc, base32, multihash) is malformed; the message says how.
 */
public class MultiformatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MultiformatException(String message) {
        super(message);
    }
}
