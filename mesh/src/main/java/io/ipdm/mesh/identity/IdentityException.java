package io.ipdm.mesh.identity;

/** A key, signature or peer id is malformed or unsupported; the message says which and why. */
public class IdentityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }

    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
