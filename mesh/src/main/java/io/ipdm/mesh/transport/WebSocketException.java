package io.ipdm.mesh.transport;

/**
 * A WebSocket connection failed: the upgrade was refused or malformed, or a frame broke a limit or
 * the protocol. The message names the peer's address and the limit.
 */
public class WebSocketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WebSocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
