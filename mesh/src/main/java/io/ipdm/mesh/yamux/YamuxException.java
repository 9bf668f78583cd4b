package io.ipdm.mesh.yamux;

/** A Yamux protocol violation; the session is closed with a GoAway(protocol error). */
public class YamuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public YamuxException(String message) {
        super(message);
    }
}
