package io.ipdm.connectors.jdbc;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Commits each {@link RowBatch} in one transaction, after its checkpoint completed: the values are
 * checked against the columns first ({@link ValueCheck}), a batch already in the {@link CommitLog}
 * is skipped, then the rows are upserted (or deleted) and the batch recorded in the log. A failure
 * rolls the whole batch back and fails the job with the database's reason.
 *
 * <p>Rows first go into a temporary staging table with the stream's column types, outside the
 * transaction: PostgreSQL with {@code COPY ... FROM STDIN}, DuckDB through its appender (both
 * {@code batchSize} rows at a time; JDBC batches are several times slower). One {@code INSERT ...
 * SELECT ... ON CONFLICT} then moves them inside the transaction.
 *
 * <p>Connects and creates or checks the table when created, so a job with a wrong URL, user or
 * table fails at its start. Called on the committer's task thread only.
 */
final class DatabaseCommitter implements Committer<RowBatch> {
    private final DatabaseSinkOptions o;
    private final TableLayout t;
    private final String label;
    private final Counter committedRows;
    private final Connection conn;
    private final List<TablePreparer.ColumnInfo> cols;
    private final String stage;

    DatabaseCommitter(DatabaseSinkOptions o, TableLayout t, Counter committedRows) {
        this.o = o;
        this.t = t;
        this.label = o.dialect().kind() + " sink '" + o.sinkId() + "'";
        this.committedRows = committedRows;
        this.conn = Connections.open(o, label);
        try {
            conn.setAutoCommit(true);
            this.cols = TablePreparer.prepare(conn, t, label);
            stage = "ipdm_stage_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            try (Statement st = conn.createStatement()) {
                st.execute(stageSql());
            }
        } catch (SQLException e) {
            closeQuietly();
            throw error(e, -1);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    @Override
    public void commit(Collection<CommitRequest<RowBatch>> requests) {
        for (CommitRequest<RowBatch> r : requests) {
            commitOne(r.getCommittable());
        }
    }

    private void commitOne(RowBatch batch) {
        ValueCheck.check(batch, t, cols, label);
        try {
            if (o.dialect() == Dialect.DUCKDB) {
                fillStage(batch);
            } else {
                copyToStage(batch);
            }
            conn.setAutoCommit(false);
            try {
                if (CommitLog.committed(conn, batch.id())) {
                    conn.rollback();
                    return;
                }
                mergeStage(batch);
                CommitLog.record(conn, batch, o.sinkId(), t.display());
                conn.commit();
                committedRows.inc(batch.rows().size());
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw error(e, batch.rows().size());
        }
    }

    /**
     * PostgreSQL: the batch's rows into the staging table with {@code COPY ... FROM STDIN} (CSV),
     * one COPY per {@code batchSize} rows; several times faster than multi-row INSERTs. Rows are
     * encoded straight into one reused UTF-8 buffer (no per-batch String, no Reader).
     */
    private void copyToStage(RowBatch batch) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("TRUNCATE " + stage);
        }
        CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
        String sql = "COPY " + stage + " (" + t.allColumns() + ") FROM STDIN (FORMAT csv)";
        CsvBuffer csv = new CsvBuffer();
        int pending = 0;
        CopyIn in = null;
        try {
            for (Row row : batch.rows()) {
                if (row.getKind() == RowKind.DELETE) {
                    continue;
                }
                if (in == null) {
                    in = copy.copyIn(sql);
                }
                for (int i = 0; i < t.fields.length; i++) {
                    if (i > 0) {
                        csv.put((byte) ',');
                    }
                    csv.value(row.getField(i));
                }
                csv.put((byte) '\n');
                if (csv.size() >= CsvBuffer.FLUSH_AT) {
                    csv.writeTo(in);
                }
                if (++pending == o.batchSize()) {
                    csv.writeTo(in);
                    in.endCopy();
                    in = null;
                    pending = 0;
                }
            }
            if (in != null) {
                csv.writeTo(in);
                in.endCopy();
                in = null;
            }
        } finally {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void deletes(RowBatch batch) throws SQLException {
        if (!t.keyed()) {
            return;
        }
        try (PreparedStatement del = conn.prepareStatement(t.deleteSql())) {
            boolean any = false;
            for (Row row : batch.rows()) {
                if (row.getKind() == RowKind.DELETE) {
                    for (int k = 0; k < t.keyIndexes.length; k++) {
                        int f = t.keyIndexes[k];
                        bind(del, k + 1, row.getField(f), cols.get(f).jdbcType());
                    }
                    del.addBatch();
                    any = true;
                }
            }
            if (any) {
                del.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, int at, Object v, int jdbcType)
            throws SQLException {
        if (v == null) {
            ps.setNull(at, jdbcType);
        } else if (v instanceof Byte b) {
            ps.setShort(at, b);
        } else if (v instanceof Character c) {
            ps.setString(at, c.toString());
        } else {
            ps.setObject(at, v);
        }
    }

    private String stageSql() {
        StringBuilder b = new StringBuilder("CREATE TEMP TABLE ").append(stage).append(" (");
        for (int i = 0; i < t.fields.length; i++) {
            b.append(i == 0 ? "" : ", ")
                    .append(Dialect.quote(t.fields[i]))
                    .append(' ')
                    .append(o.dialect().sqlType(t.types[i]));
        }
        return b.append(')').toString();
    }

    private void fillStage(RowBatch batch) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("DELETE FROM " + stage);
        }
        DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
        try (DuckDBAppender a = duck.createAppender("temp", "main", stage)) {
            int pending = 0;
            for (Row row : batch.rows()) {
                if (row.getKind() == RowKind.DELETE) {
                    continue;
                }
                a.beginRow();
                for (int i = 0; i < t.fields.length; i++) {
                    append(a, row.getField(i));
                }
                a.endRow();
                if (++pending == o.batchSize()) {
                    a.flush();
                    pending = 0;
                }
            }
        }
    }

    private static void append(DuckDBAppender a, Object v) throws SQLException {
        switch (v) {
            case null -> a.appendNull();
            case Long x -> a.append((long) x);
            case Integer x -> a.append((int) x);
            case Short x -> a.append((short) x);
            case Byte x -> a.append((short) x);
            case Double x -> a.append((double) x);
            case Float x -> a.append((float) x);
            case Boolean x -> a.append((boolean) x);
            case String x -> a.append(x);
            case Character x -> a.append(x.toString());
            case byte[] x -> a.append(x);
            case BigDecimal x -> a.append(x);
            default ->
                    throw new DatabaseSinkException(
                            "no DuckDB value for " + v.getClass().getName() + ": " + v);
        }
    }

    private void mergeStage(RowBatch batch) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO "
                            + t.qualified()
                            + " ("
                            + t.allColumns()
                            + ") SELECT "
                            + t.allColumns()
                            + " FROM "
                            + stage
                            // key order: the primary key's B-tree is then written page after
                            // page instead of at random (fewer buffer misses once it outgrows
                            // shared_buffers)
                            + (t.keyed() && o.dialect() == Dialect.POSTGRES
                                    ? " ORDER BY " + t.columnList(t.keyIndexes)
                                    : "")
                            + t.onConflict());
        }
        deletes(batch);
    }

    private DatabaseSinkException error(SQLException e, int rows) {
        SQLException cause = e;
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            cause = e.getNextException();
        }
        if (o.dialect() == Dialect.POSTGRES) {
            String state = cause.getSQLState() == null ? "" : cause.getSQLState();
            if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")) {
                return Connections.postgresError(o, label, cause);
            }
        }
        return new DatabaseSinkException(
                label
                        + ": "
                        + o.dialect().product()
                        + " at "
                        + o.address()
                        + ", table "
                        + t.display()
                        + ": "
                        + cause.getMessage().strip().replace('\n', ' ')
                        + (rows < 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; nothing of this checkpoint's %,d rows was written",
                                        rows)),
                e);
    }

    private void closeQuietly() {
        try {
            Connections.release(o, conn);
        } catch (SQLException ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            try (Statement st = conn.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + stage);
            }
        } finally {
            Connections.release(o, conn);
        }
    }
}
