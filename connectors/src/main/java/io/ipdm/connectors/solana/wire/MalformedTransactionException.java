package io.ipdm.connectors.solana.wire;

import io.ipdm.connectors.solana.SolanaDecodeException;

/** A wire-format transaction that breaks the format: names the byte offset and what was wrong. */
public final class MalformedTransactionException extends SolanaDecodeException {
    private static final long serialVersionUID = 1L;

    MalformedTransactionException(int offset, String reason) {
        super("malformed wire transaction at byte " + offset + ": " + reason);
    }
}
