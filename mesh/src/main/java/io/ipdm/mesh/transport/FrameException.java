package io.ipdm.mesh.transport;

/** A length-prefixed message is malformed or too large. */
public class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FrameException(String message) {
        super(message);
    }
}
