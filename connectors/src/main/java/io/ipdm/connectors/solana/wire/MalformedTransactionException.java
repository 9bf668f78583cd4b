package io.ipdm.connectors.solana.wire;

import io.ipdm.connectors.solana.SolanaDecodeException;

/** A wire-format transaction that breaks the format: names the byte offset and what was wrong. */
public final class MalformedTransactionException extends SolanaDecodeException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    MalformedTransactionException(int offset, String reason) {
        super("malformed wire transaction at byte " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Where in the transaction's bytes the problem was found. */
    public int offset() {
        return offset;
    }

    /** What was wrong, in words, without the offset. */
    public String reason() {
        return reason;
    }
}
