package io.ipdm.mesh.multistream;

/**
 * multistream-select negotiation failed: malformed message, unsupported protocol or too many
 * attempts.
 */
public class MultistreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MultistreamException(String message) {
        super(message);
    }
}
