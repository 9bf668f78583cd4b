package io.ipdm.connectors.jdbc;

/**
 * A database sink could not do its work: the database is unreachable or refused the user, the table
 * does not fit the stream, or a value does not fit its column. The message names the sink, the
 * database and what to check.
 */
public class DatabaseSinkException extends RuntimeException {
    public DatabaseSinkException(String message) {
        super(message);
    }

    /**
     * The cause's text is part of {@code message}; the cause is not kept, so that whoever reports
     * the innermost cause of a failed job (as {@code ipdm run} does) reports this message.
     */
    public DatabaseSinkException(String message, Throwable cause) {
        super(message);
    }
}
