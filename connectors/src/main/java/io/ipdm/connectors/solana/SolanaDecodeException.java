package io.ipdm.connectors.solana;

/**
 * Solana input that cannot be decoded: a malformed wire transaction, a getBlock response missing a
 * required field, an out-of-range account index. The message names where (source, slot, transaction
 * index) and why.
 */
public class SolanaDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SolanaDecodeException(String message) {
        super(message);
    }

    public SolanaDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
