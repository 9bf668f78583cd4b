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

    public DatabaseSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
