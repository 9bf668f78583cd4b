package io.ipdm.mesh.gossipsub;

/** A gossipsub RPC or message is malformed or fails validation; the message says what. */
public class GossipException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GossipException(String message) {
        super(message);
    }
}
