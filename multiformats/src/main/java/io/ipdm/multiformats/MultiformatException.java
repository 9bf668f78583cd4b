package io.ipdm.multiformats;

/**
 * A multiformat value (varint, multibase text, multihash, CID, protobuf message) is malformed; the
 * message says how. The root of every error this module raises.
 */
public class MultiformatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MultiformatException(String message) {
        super(message);
    }
}
