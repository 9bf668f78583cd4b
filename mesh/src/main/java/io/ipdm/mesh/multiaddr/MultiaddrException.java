package io.ipdm.mesh.multiaddr;

/** A multiaddr is malformed or uses an unsupported protocol; the message names the part. */
public class MultiaddrException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MultiaddrException(String message) {
        super(message);
    }
}
