package io.ipdm.connectors.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Copies rows into one staging table ({@link StageTable}), created when this is opened. PostgreSQL:
 * one {@code COPY ... FROM STDIN (FORMAT csv)} for the whole table, open until {@link #finish}, so
 * the server parses and stores rows while the writer is still receiving them (several times faster
 * than multi-row INSERTs; measured in docs/BENCHMARKS.md). DuckDB: its appender. Not thread-safe.
 */
abstract sealed class StageWriter implements AutoCloseable {
    final TableLayout t;
    final String name;
    final String qualified;

    private StageWriter(TableLayout t, String name, String qualified) {
        this.t = t;
        this.name = name;
        this.qualified = qualified;
    }

    /** Creates staging table {@code name} and opens it for rows. */
    static StageWriter open(Connection conn, TableLayout t, String name, boolean temporary)
            throws SQLException {
        String qualified = temporary ? Dialect.quote(name) : StageTable.qualified(t, name);
        try (Statement st = conn.createStatement()) {
            st.execute(StageTable.createSql(t, qualified, temporary));
        }
        return t.dialect == Dialect.DUCKDB
                ? new Duck(conn, t, name, qualified, temporary)
                : new Postgres(conn, t, name, qualified);
    }

    /** One row; {@code flush} orders rows of the same key (keyed sinks). */
    abstract void append(Row row, int flush) throws SQLException;

    /** Hands buffered rows to the database (end of one of the writer's flushes). */
    abstract void flush() throws SQLException;

    /** Ends the copy: every appended row is in the table. */
    abstract void finish() throws SQLException;

    /** Abandons the copy (the table stays, with what arrived). */
    @Override
    public abstract void close();

    private static final class Postgres extends StageWriter {
        private final CsvBuffer csv = new CsvBuffer();
        private final CopyIn in;

        Postgres(Connection conn, TableLayout t, String name, String qualified)
                throws SQLException {
            super(t, name, qualified);
            this.in =
                    conn.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn(
                                    "COPY "
                                            + qualified
                                            + " ("
                                            + StageTable.copyColumns(t)
                                            + ") FROM STDIN (FORMAT csv)");
        }

        @Override
        void append(Row row, int flush) throws SQLException {
            for (int i = 0; i < t.fields.length; i++) {
                if (i > 0) {
                    csv.put((byte) ',');
                }
                csv.value(row.getField(i));
            }
            if (t.keyed()) {
                csv.put((byte) ',');
                csv.value(flush);
                csv.put((byte) ',');
                csv.value(row.getKind() == RowKind.DELETE);
            }
            csv.put((byte) '\n');
            if (csv.size() >= CsvBuffer.FLUSH_AT) {
                csv.writeTo(in);
            }
        }

        @Override
        void flush() throws SQLException {
            csv.writeTo(in);
        }

        @Override
        void finish() throws SQLException {
            csv.writeTo(in);
            in.endCopy();
        }

        @Override
        public void close() {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (SQLException ignored) {
                // abandoning after a failure: the first error is the one reported
            }
        }
    }

    private static final class Duck extends StageWriter {
        private final DuckDBAppender a;
        private boolean closed;

        Duck(Connection conn, TableLayout t, String name, String qualified, boolean temporary)
                throws SQLException {
            super(t, name, qualified);
            DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
            this.a =
                    temporary
                            ? duck.createAppender("temp", "main", name)
                            : duck.createAppender(
                                    t.schema != null ? t.schema : DuckDBConnection.DEFAULT_SCHEMA,
                                    name);
        }

        @Override
        void append(Row row, int flush) throws SQLException {
            a.beginRow();
            for (int i = 0; i < t.fields.length; i++) {
                value(row.getField(i));
            }
            if (t.keyed()) {
                a.append(flush);
                a.append(row.getKind() == RowKind.DELETE);
            }
            a.endRow();
        }

        private void value(Object v) throws SQLException {
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

        @Override
        void flush() throws SQLException {
            a.flush();
        }

        @Override
        void finish() throws SQLException {
            closed = true;
            a.close();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                a.close();
            } catch (SQLException ignored) {
                // abandoning after a failure: the first error is the one reported
            }
        }
    }
}
