package io.ipdm.mesh.kad;

/**
 * A Kademlia DHT message or request that breaks the protocol or one of the limits set in {@link
 * KadConfig}; the message names the field or the limit.
 */
public class KadException extends RuntimeException {
    public KadException(String message) {
        super(message);
    }

    public KadException(String message, Throwable cause) {
        super(message, cause);
    }
}
