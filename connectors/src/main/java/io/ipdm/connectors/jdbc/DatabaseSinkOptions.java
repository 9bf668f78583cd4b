package io.ipdm.connectors.jdbc;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * Where a database sink writes and how.
 *
 * @param sinkId the pipeline's sink id, for messages and the commit log
 * @param jobScope the identity of the job (its content id) that the sink's staging tables are
 *     scoped to, so two jobs writing one table under one sink id keep apart; empty: not scoped
 *     (staging tables named from the sink id and table alone)
 * @param url JDBC URL ({@code jdbc:postgresql://host:port/db} or {@code jdbc:duckdb:/abs/path})
 * @param user null for none (DuckDB, or the driver's default)
 * @param password null for none
 * @param table {@code name} or {@code schema.name}; created from the row type when missing
 * @param key the fields upserts are keyed on; empty for insert-only
 * @param batchSize rows per COPY (PostgreSQL) or appender flush (DuckDB)
 */
public record DatabaseSinkOptions(
        Dialect dialect,
        String sinkId,
        String jobScope,
        String url,
        String user,
        String password,
        String table,
        List<String> key,
        int batchSize)
        implements Serializable {

    public DatabaseSinkOptions {
        key = List.copyOf(key);
        jobScope = jobScope == null ? "" : jobScope;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        }
    }

    /** {@code host:port} of a PostgreSQL URL (default port 5432), or the DuckDB file path. */
    public String address() {
        if (dialect == Dialect.DUCKDB) {
            return url.substring("jdbc:duckdb:".length());
        }
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        int q = hosts.indexOf('?');
        hosts = q < 0 ? hosts : hosts.substring(0, q);
        if (hosts.isEmpty()) {
            hosts = "localhost";
        }
        try {
            URI u = URI.create("//" + hosts.split(",")[0]);
            return (u.getHost() == null ? hosts : u.getHost())
                    + ":"
                    + (u.getPort() < 0 ? 5432 : u.getPort());
        } catch (IllegalArgumentException e) {
            return hosts;
        }
    }

    /** What the sink writes to, for operator names and the end-of-run summary (no password). */
    public String describe() {
        if (dialect == Dialect.DUCKDB) {
            return "duckdb " + address() + " table " + table;
        }
        String db = url.substring(url.indexOf("//") + 2);
        int q = db.indexOf('?');
        db = q < 0 ? db : db.substring(0, q);
        int slash = db.indexOf('/');
        return "postgres " + address() + (slash < 0 ? "" : db.substring(slash)) + " table " + table;
    }

    @Override
    public String toString() {
        // never print the password (the record's default toString would)
        return describe();
    }
}
