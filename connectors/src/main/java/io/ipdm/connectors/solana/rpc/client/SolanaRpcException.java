package io.ipdm.connectors.solana.rpc.client;

/** A JSON-RPC call that failed: transport, HTTP status or a JSON-RPC error object. */
public final class SolanaRpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final boolean retryable;

    public SolanaRpcException(String message, int code, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** The JSON-RPC error code, the HTTP status, or 0 for transport errors. */
    public int code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
