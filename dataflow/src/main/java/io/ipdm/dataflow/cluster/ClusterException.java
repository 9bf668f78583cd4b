package io.ipdm.dataflow.cluster;

/** A cluster or job operation failed; the message says what and what to do. */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
