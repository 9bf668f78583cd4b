package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input for the database sinks ends the job with a message that names the database and what to
 * check, and leaves nothing written: an unreachable server, wrong credentials, an existing table
 * whose columns do not fit the stream, and a value a column cannot hold.
 */
class DatabaseSinkErrorsITCase {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start(false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static String failure(String kind, String options, Path tmp) throws Exception {
        PipelineLoader.Loaded loaded =
                DatabaseSinkRuns.load(
                        kind,
                        options,
                        tmp.resolve("out"),
                        tmp.resolve("state"),
                        List.of("runtime.restart.strategy=none"));
        RunResult r = DatabaseSinkRuns.run(loaded, RunOptions.defaults(), tmp);
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        return r.failure().getMessage();
    }

    private static String pgOptions(String url, String table, String password) {
        return "url: \""
                + url
                + "\", table: "
                + table
                + ", user: ipdm, password: \""
                + password
                + "\"";
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = pg.connect();
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void unreachableServerNamesHostAndPort(@TempDir Path tmp) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/solana";
        assertThat(failure("postgres", pgOptions(url, "t", "x"), tmp))
                .startsWith(
                        "postgres sink 'db': cannot reach PostgreSQL at 127.0.0.1:" + closed + " (")
                .contains(
                        "check that the server is running and listening on that host and port"
                                + " (listen_addresses, port in postgresql.conf), that options.url"
                                + " names them, and that no firewall is in the way");
    }

    @Test
    void wrongPasswordNamesTheUser(@TempDir Path tmp) throws Exception {
        assertThat(failure("postgres", pgOptions(pg.url(), "t_pw", "wrong"), tmp))
                .startsWith(
                        "postgres sink 'db': PostgreSQL at 127.0.0.1:"
                                + pg.port()
                                + " refused user 'ipdm' (FATAL: password authentication failed"
                                + " for user \"ipdm\")")
                .endsWith(
                        "check options.user and options.password, and that pg_hba.conf allows"
                                + " this user from this host");
        try (Connection c = pg.connect();
                ResultSet rs = c.getMetaData().getTables(null, null, "t_pw", null)) {
            assertThat(rs.next()).as("no table created").isFalse();
        }
    }

    @Test
    void existingTableWithAnotherColumnTypeIsNamed(@TempDir Path tmp) throws Exception {
        sql(
                "CREATE TABLE t_types (program_id TEXT, window_start BIGINT, window_end BIGINT,"
                        + " txs TEXT, fees BIGINT, max_cu BIGINT,"
                        + " PRIMARY KEY (program_id, window_start))");
        assertThat(failure("postgres", pgOptions(pg.url(), "t_types", LocalPostgres.PASSWORD), tmp))
                .isEqualTo(
                        "postgres sink 'db': table t_types column 'txs' is text, but the stream's"
                                + " field 'txs' is BIGINT; alter the column to BIGINT, or write to"
                                + " a new table");
    }

    @Test
    void existingTableWithoutKeyConstraintIsRefused(@TempDir Path tmp) throws Exception {
        sql(
                "CREATE TABLE t_nokey (program_id TEXT, window_start BIGINT, window_end BIGINT,"
                        + " txs BIGINT, fees BIGINT, max_cu BIGINT)");
        assertThat(failure("postgres", pgOptions(pg.url(), "t_nokey", LocalPostgres.PASSWORD), tmp))
                .isEqualTo(
                        "postgres sink 'db': table t_nokey has no primary key or unique index on"
                                + " (program_id, window_start), which upserts of re-fired windows"
                                + " need; add one (CREATE UNIQUE INDEX ON t_nokey (program_id,"
                                + " window_start)), or write to a new table");
    }

    @Test
    void valueTheColumnCannotHoldWritesNothing(@TempDir Path tmp) throws Exception {
        sql(
                "CREATE TABLE t_narrow (program_id VARCHAR(8), window_start BIGINT, window_end"
                        + " BIGINT, txs BIGINT, fees BIGINT, max_cu BIGINT,"
                        + " PRIMARY KEY (program_id, window_start))");
        assertThat(
                        failure(
                                "postgres",
                                pgOptions(pg.url(), "t_narrow", LocalPostgres.PASSWORD),
                                tmp))
                .startsWith(
                        "postgres sink 'db': table t_narrow column 'program_id' (varchar) cannot"
                                + " hold the ")
                .contains("-character value '")
                .contains("' in the row with key program_id=")
                .contains(", window_start=")
                .contains(
                        "rows was written. Widen the column (ALTER TABLE t_narrow ALTER COLUMN"
                                + " program_id TYPE TEXT), or write to a new table");
        try (Connection c = pg.connect()) {
            assertThat(count(c, "SELECT count(*) FROM t_narrow")).isZero();
            assertThat(count(c, "SELECT count(*) FROM ipdm_sink_commits WHERE target = 't_narrow'"))
                    .isZero();
        }
    }

    @Test
    void duckDbTableWithAnotherColumnTypeIsNamed(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE activity (program_id VARCHAR, window_start BIGINT, window_end"
                            + " BIGINT, txs BIGINT, fees BOOLEAN, max_cu BIGINT,"
                            + " PRIMARY KEY (program_id, window_start))");
        }
        assertThat(failure("duckdb", "path: \"" + file + "\", table: activity", tmp))
                .isEqualTo(
                        "duckdb sink 'db': table activity column 'fees' is boolean, but the"
                                + " stream's field 'fees' is BIGINT; alter the column to BIGINT,"
                                + " or write to a new table");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            assertThat(count(c, "SELECT count(*) FROM activity")).isZero();
        }
    }

    @Test
    void missingDatabaseSaysHowToCreateIt(@TempDir Path tmp) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/no_such_db";
        assertThat(failure("postgres", pgOptions(url, "t", LocalPostgres.PASSWORD), tmp))
                .startsWith("postgres sink 'db': ")
                .contains("127.0.0.1:" + pg.port())
                .contains("database \"no_such_db\" does not exist")
                .endsWith(
                        "; create the database (createdb NAME) or fix the database name in"
                                + " options.url");
    }

    @Test
    void existingTableWithoutAFieldsColumnIsNamed(@TempDir Path tmp) throws Exception {
        sql(
                "CREATE TABLE t_missing (program_id TEXT, window_start BIGINT, window_end BIGINT,"
                        + " txs BIGINT, fees BIGINT, PRIMARY KEY (program_id, window_start))");
        assertThat(
                        failure(
                                "postgres",
                                pgOptions(pg.url(), "t_missing", LocalPostgres.PASSWORD),
                                tmp))
                .startsWith(
                        "postgres sink 'db': table t_missing has no column 'max_cu' for the"
                                + " stream's field of type BIGINT");
        try (Connection c = pg.connect()) {
            assertThat(count(c, "SELECT count(*) FROM t_missing")).isZero();
        }
    }

    @Test
    void duckDbValueTheColumnCannotHoldWritesNothing(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("narrow.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement st = c.createStatement()) {
            // fee sums per program and minute are far beyond a SMALLINT
            st.execute(
                    "CREATE TABLE activity (program_id VARCHAR, window_start BIGINT, window_end"
                            + " BIGINT, txs BIGINT, fees SMALLINT, max_cu BIGINT,"
                            + " PRIMARY KEY (program_id, window_start))");
        }
        assertThat(failure("duckdb", "path: \"" + file + "\", table: activity", tmp))
                .startsWith("duckdb sink 'db': table activity column 'fees' (")
                .contains(") cannot hold the value ")
                .contains(" in the row with key program_id=")
                .contains("nothing of this checkpoint's ");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            assertThat(count(c, "SELECT count(*) FROM activity")).isZero();
            assertThat(count(c, "SELECT count(*) FROM ipdm_sink_commits")).isZero();
        }
    }

    @Test
    void duckDbFileThatCannotBeCreatedSaysWhatToCheck(@TempDir Path tmp) throws Exception {
        Path notADir = java.nio.file.Files.writeString(tmp.resolve("plain-file"), "x");
        Path file = notADir.resolve("results.duckdb");
        assertThat(failure("duckdb", "path: \"" + file + "\", table: activity", tmp))
                .startsWith("duckdb sink 'db': cannot open DuckDB file " + file + " (")
                .endsWith(
                        "check that its directory exists and is writable, and that no other"
                                + " process (a duckdb shell, another job) has the file open");
    }
}
