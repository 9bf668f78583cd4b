package io.ipdm.connectors.solana.archive;

/**
 * An Old Faithful archive that cannot be read or does not hold what it should: the message names
 * the archive, the byte offset and, where known, the slot being read.
 */
public final class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
