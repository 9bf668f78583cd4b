package io.ipdm.connectors.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The staging tables of a sink: a writer subtask copies the rows of one checkpoint interval into
 * its own table while they arrive, and the committer merges that table into the target and drops it
 * in one transaction once the checkpoint completed.
 *
 * <p><b>Names</b>: {@code ipdm_stage_<tag>_<subtask>_<after>} in the target's schema, where {@code
 * tag} is a hash of the job's identity ({@link DatabaseSinkOptions#jobScope}), the sink id and the
 * target table, and {@code after} the id of the last checkpoint the writer had passed when the
 * interval began (the restored checkpoint's id, or 0, at the start). The job's identity is in the
 * tag so that two jobs writing one table under one sink id neither share a staging table nor drop
 * each other's as orphans; a run restored from a checkpoint of the same job has the same identity
 * and so finds its own. Ordinary (logged) tables, so a PostgreSQL crash does not empty the rows of
 * a completed checkpoint before they are merged (crash recovery truncates UNLOGGED tables).
 *
 * <p><b>Why this is exactly once</b>: the rows of an interval ending at checkpoint {@code c} are
 * merged only after {@code c} completed, together with the batch's id in the {@link CommitLog} and
 * the table's {@code DROP}, so a batch is merged once or not at all, and a batch committed again
 * after a restore is skipped by its id. After a restore from checkpoint {@code r}, a staging table
 * with {@code after >= r} was begun after {@code r}: its rows come again from the replayed input,
 * so it is garbage, and each writer subtask drops its own such tables before it writes (subtask 0
 * also those of subtasks beyond the current parallelism). A table with {@code after < r} belongs to
 * a checkpoint up to {@code r}: it was merged and dropped already, or its batch is in {@code r}'s
 * committer state and is merged now.
 *
 * <p><b>Columns</b>: the target's, with the stream's column types and no constraints; keyed sinks
 * add {@code ipdm_flush} (the writer's flush number: a key copied twice keeps the later row) and
 * {@code ipdm_delete} ({@code DELETE} rows delete the key).
 */
final class StageTable {
    static final String PREFIX = "ipdm_stage_";
    static final String FLUSH = "ipdm_flush";
    static final String DELETE = "ipdm_delete";
    private static final Pattern SUFFIX = Pattern.compile("([0-9]+)_([0-9]+)");

    private StageTable() {}

    /**
     * A hash of the job's identity, the sink id and the target table: staging tables of other jobs
     * and sinks are not touched. Without a job identity, of the sink id and table alone (the names
     * builds before job scoping gave).
     */
    static String tag(DatabaseSinkOptions o, TableLayout t) {
        String scoped = o.sinkId() + "\0" + t.display();
        if (!o.jobScope().isEmpty()) {
            scoped = o.jobScope() + "\0" + scoped;
        }
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(scoped.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String name(String tag, int subtask, long after) {
        return PREFIX + tag + "_" + subtask + "_" + after;
    }

    /** The staging table, qualified with the target's schema when it has one. */
    static String qualified(TableLayout t, String stage) {
        return t.schema == null
                ? Dialect.quote(stage)
                : Dialect.quote(t.schema) + "." + Dialect.quote(stage);
    }

    static String createSql(TableLayout t, String qualifiedStage, boolean temporary) {
        StringBuilder b = new StringBuilder(temporary ? "CREATE TEMP TABLE " : "CREATE TABLE ");
        b.append(qualifiedStage).append(" (");
        for (int i = 0; i < t.fields.length; i++) {
            b.append(i == 0 ? "" : ", ")
                    .append(Dialect.quote(t.fields[i]))
                    .append(' ')
                    .append(t.dialect.sqlType(t.types[i]));
        }
        if (t.keyed()) {
            b.append(", ").append(FLUSH).append(" INTEGER, ").append(DELETE).append(" BOOLEAN");
        }
        return b.append(')').toString();
    }

    /** The columns a writer fills, in order. */
    static String copyColumns(TableLayout t) {
        return t.allColumns() + (t.keyed() ? ", " + FLUSH + ", " + DELETE : "");
    }

    /** The newest row per key, newest flush first; keyed sinks only. */
    private static String newestPerKey(TableLayout t, String qualifiedStage, String columns) {
        String key = t.columnList(t.keyIndexes);
        return "(SELECT DISTINCT ON ("
                + key
                + ") "
                + columns
                + " FROM "
                + qualifiedStage
                + " ORDER BY "
                + key
                + ", "
                + FLUSH
                + " DESC) s";
    }

    /**
     * Upserts the newest row of each key that was not deleted, in key order (the primary key's
     * B-tree is then written page after page instead of at random, measured 2x faster once it
     * outgrows the buffer cache); a keyless sink appends.
     */
    static String mergeSql(TableLayout t, String qualifiedStage) {
        String cols = t.allColumns();
        if (!t.keyed()) {
            return "INSERT INTO "
                    + t.qualified()
                    + " ("
                    + cols
                    + ") SELECT "
                    + cols
                    + " FROM "
                    + qualifiedStage;
        }
        return "INSERT INTO "
                + t.qualified()
                + " ("
                + cols
                + ") SELECT "
                + cols
                + " FROM "
                + newestPerKey(t, qualifiedStage, cols + ", " + DELETE)
                + " WHERE NOT "
                + DELETE
                + t.onConflict();
    }

    /** Deletes the keys whose newest row is a {@code DELETE}. */
    static String deleteSql(TableLayout t, String qualifiedStage) {
        String key = t.columnList(t.keyIndexes);
        List<String> match = new ArrayList<>();
        for (int k : t.keyIndexes) {
            String c = Dialect.quote(t.fields[k]);
            match.add(t.qualified() + "." + c + " = s." + c);
        }
        return "DELETE FROM "
                + t.qualified()
                + " USING "
                + newestPerKey(t, qualifiedStage, key + ", " + DELETE)
                + " WHERE s."
                + DELETE
                + " AND "
                + String.join(" AND ", match);
    }

    static boolean exists(Connection conn, TableLayout t, String stage) throws SQLException {
        return list(conn, t, stage).contains(stage);
    }

    /**
     * Drops the staging tables of this sink that a writer begun after checkpoint {@code restored}
     * (0: none) left behind: those of {@code subtask}, and for subtask 0 also those of subtasks at
     * or above {@code parallelism}.
     *
     * @return the tables dropped
     */
    static List<String> dropOrphans(
            Connection conn, TableLayout t, String tag, int subtask, int parallelism, long restored)
            throws SQLException {
        List<String> dropped = new ArrayList<>();
        String prefix = PREFIX + tag + "_";
        for (String name : list(conn, t, prefix + "%")) {
            Matcher m = SUFFIX.matcher(name.substring(prefix.length()));
            if (!name.startsWith(prefix) || !m.matches()) {
                continue;
            }
            int owner = Integer.parseInt(m.group(1));
            long after = Long.parseLong(m.group(2));
            if (after >= restored && (owner == subtask || (subtask == 0 && owner >= parallelism))) {
                try (Statement st = conn.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + qualified(t, name));
                }
                dropped.add(name);
            }
        }
        return dropped;
    }

    private static List<String> list(Connection conn, TableLayout t, String like)
            throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT table_name FROM information_schema.tables"
                                + " WHERE table_schema = ? AND table_name LIKE ?")) {
            ps.setString(1, t.schema != null ? t.schema : conn.getSchema());
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
