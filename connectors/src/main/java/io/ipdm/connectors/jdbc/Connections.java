package io.ipdm.connectors.jdbc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * Opens a sink's connections and turns a failure into a message that names the database and what to
 * check. Drivers are called directly rather than through {@code DriverManager}, which does not see
 * drivers loaded by Flink's user-code class loader.
 *
 * <p>A DuckDB file can be open in one database instance per process: every connection to the same
 * file in this JVM is a {@link DuckDBConnection#duplicate()} of one shared instance, closed when
 * the last one is released (then {@code duckdb FILE} can open it).
 */
final class Connections {
    private static final Map<String, Shared> DUCKDB = new HashMap<>();

    private record Shared(DuckDBConnection root, int[] users) {}

    private Connections() {}

    static Connection open(DatabaseSinkOptions o, String label) {
        return o.dialect() == Dialect.DUCKDB ? openDuckDb(o, label) : openPostgres(o, label);
    }

    static void release(DatabaseSinkOptions o, Connection c) throws SQLException {
        c.close();
        if (o.dialect() == Dialect.DUCKDB) {
            synchronized (DUCKDB) {
                Shared s = DUCKDB.get(o.url());
                if (s != null && --s.users()[0] == 0) {
                    DUCKDB.remove(o.url());
                    s.root().close();
                }
            }
        }
    }

    private static Connection openPostgres(DatabaseSinkOptions o, String label) {
        Properties p = new Properties();
        if (o.user() != null) {
            p.setProperty("user", o.user());
        }
        if (o.password() != null) {
            p.setProperty("password", o.password());
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "ipdm " + o.sinkId());
        try {
            Connection c = new org.postgresql.Driver().connect(o.url(), p);
            if (c == null) {
                throw new DatabaseSinkException(
                        label + ": '" + o.url() + "' is not a jdbc:postgresql:// URL");
            }
            return c;
        } catch (SQLException e) {
            throw postgresError(o, label, e);
        }
    }

    static DatabaseSinkException postgresError(
            DatabaseSinkOptions o, String label, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = "PostgreSQL at " + o.address();
        if (state.startsWith("28")) {
            return new DatabaseSinkException(
                    label
                            + ": "
                            + where
                            + " refused user '"
                            + (o.user() == null ? System.getProperty("user.name") : o.user())
                            + "' ("
                            + e.getMessage()
                            + "); check options.user and options.password, and that pg_hba.conf"
                            + " allows this user from this host",
                    e);
        }
        if (state.equals("3D000")) {
            return new DatabaseSinkException(
                    label
                            + ": "
                            + where
                            + ": "
                            + e.getMessage()
                            + "; create the database (createdb NAME) or fix the database name in"
                            + " options.url",
                    e);
        }
        if (state.startsWith("08") || networkCause(e)) {
            return new DatabaseSinkException(
                    label
                            + ": cannot reach "
                            + where
                            + " ("
                            + e.getMessage()
                            + "); check that the server is running and listening on that host"
                            + " and port (listen_addresses, port in postgresql.conf), that"
                            + " options.url names them, and that no firewall is in the way",
                    e);
        }
        return new DatabaseSinkException(label + ": " + where + ": " + e.getMessage(), e);
    }

    /**
     * A failed statement as a sink error: connection and login failures as {@link #postgresError},
     * anything else with the database, the table and the database's reason; with {@code rows >= 0},
     * that this checkpoint's rows were not written.
     */
    static DatabaseSinkException sqlError(
            DatabaseSinkOptions o, String label, TableLayout t, SQLException e, long rows) {
        SQLException cause = e;
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            cause = e.getNextException();
        }
        if (o.dialect() == Dialect.POSTGRES) {
            String state = cause.getSQLState() == null ? "" : cause.getSQLState();
            if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")) {
                return postgresError(o, label, cause);
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
                        + String.valueOf(cause.getMessage()).strip().replace('\n', ' ')
                        + (rows < 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; nothing of this checkpoint's %,d rows was written",
                                        rows)),
                e);
    }

    private static boolean networkCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException
                    || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException
                    || c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Connection openDuckDb(DatabaseSinkOptions o, String label) {
        synchronized (DUCKDB) {
            try {
                Shared s = DUCKDB.get(o.url());
                if (s == null) {
                    Path file = Path.of(o.address());
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                    Connection c = new org.duckdb.DuckDBDriver().connect(o.url(), new Properties());
                    s = new Shared(c.unwrap(DuckDBConnection.class), new int[] {0});
                    DUCKDB.put(o.url(), s);
                }
                Connection dup = s.root().duplicate();
                s.users()[0]++;
                return dup;
            } catch (SQLException | IOException e) {
                throw new DatabaseSinkException(
                        label
                                + ": cannot open DuckDB file "
                                + o.address()
                                + " ("
                                + e.getMessage()
                                + "); check that its directory exists and is writable, and that"
                                + " no other process (a duckdb shell, another job) has the file"
                                + " open",
                        e);
            }
        }
    }
}
