package io.ipdm.mesh.records;

/** A signed record's bytes are malformed, not canonical, or break a size limit. */
public class RecordException extends RuntimeException {
    public RecordException(String message) {
        super(message);
    }
}
