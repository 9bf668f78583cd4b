package io.ipdm.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The table {@code ipdm_sink_commits}: one row per committed {@link RowBatch}, written in the
 * batch's own transaction. A batch whose id is already there was committed before a failure and is
 * skipped when Flink commits it again after restoring a checkpoint, so even insert-only (keyless)
 * streams are written exactly once. Entries of a sink older than a week before its newest batch are
 * pruned.
 */
final class CommitLog {
    static final String TABLE = "ipdm_sink_commits";
    private static final long KEEP_MILLIS = Duration.ofDays(7).toMillis();

    private CommitLog() {}

    static void create(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + TABLE
                            + " (batch_id VARCHAR(64) PRIMARY KEY, sink VARCHAR(200) NOT NULL,"
                            + " target VARCHAR(400) NOT NULL, row_count BIGINT NOT NULL,"
                            + " prepared_at BIGINT NOT NULL)");
        } catch (SQLException e) {
            // created by a parallel subtask at the same moment
            if (!exists(conn)) {
                throw e;
            }
        }
    }

    private static boolean exists(Connection conn) throws SQLException {
        try (ResultSet rs = conn.getMetaData().getTables(null, null, TABLE, null)) {
            return rs.next();
        }
    }

    /** Whether batch {@code id} was committed already (call inside the batch's transaction). */
    static boolean committed(Connection conn, String id) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE batch_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records the batch and prunes old entries of the same sink and table. */
    static void record(Connection conn, RowBatch batch, String sink, String target)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO "
                                + TABLE
                                + " (batch_id, sink, target, row_count, prepared_at)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, batch.id());
            ps.setString(2, sink);
            ps.setString(3, target);
            ps.setLong(4, batch.size());
            ps.setLong(5, batch.preparedAt());
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "DELETE FROM "
                                + TABLE
                                + " WHERE sink = ? AND target = ? AND prepared_at < ?")) {
            ps.setString(1, sink);
            ps.setString(2, target);
            ps.setLong(3, batch.preparedAt() - KEEP_MILLIS);
            ps.executeUpdate();
        }
    }
}
