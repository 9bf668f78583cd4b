package io.ipdm.connectors.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Commits each {@link RowBatch} in one transaction, after its checkpoint completed: a batch already
 * in the {@link CommitLog} is skipped (its staging table dropped if still there); otherwise the
 * newest row per key is upserted from the batch's staging table ({@code INSERT ... SELECT DISTINCT
 * ON (key) ... ON CONFLICT DO UPDATE}), deleted keys deleted, the batch recorded in the log and the
 * staging table dropped. A failure rolls the whole batch back and fails the job with the database's
 * reason. See {@link StageTable} for why this is exactly once.
 *
 * <p>A batch restored from a checkpoint of an earlier build carries its rows: they are checked and
 * copied into a temporary staging table first, then merged the same way.
 *
 * <p>Connects when created, so a job with a wrong URL or user fails at its start. Called on the
 * committer's task thread only.
 */
final class DatabaseCommitter implements Committer<RowBatch> {
    /**
     * PostgreSQL's sort for {@code DISTINCT ON} of one batch in memory rather than in temporary
     * files (the default work_mem of 4 MB holds ~30,000 rows); for the merge's transaction only.
     */
    static final String WORK_MEM = "SET LOCAL work_mem = '128MB'";

    private final DatabaseSinkOptions o;
    private final TableLayout t;
    private final String label;
    private final String tag;
    private final Counter committedRows;
    private final Connection conn;
    private List<TablePreparer.ColumnInfo> cols;

    DatabaseCommitter(DatabaseSinkOptions o, TableLayout t, Counter committedRows) {
        this.o = o;
        this.t = t;
        this.label = o.dialect().kind() + " sink '" + o.sinkId() + "'";
        this.tag = StageTable.tag(o, t);
        this.committedRows = committedRows;
        this.conn = Connections.open(o, label);
        try {
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            closeQuietly();
            throw Connections.sqlError(o, label, t, e, -1);
        }
    }

    @Override
    public void commit(Collection<CommitRequest<RowBatch>> requests) {
        for (CommitRequest<RowBatch> r : requests) {
            commitOne(r.getCommittable());
        }
    }

    private void commitOne(RowBatch batch) {
        try {
            String stage = batch.stage();
            String qualified;
            boolean deletes = batch.deletes();
            if (stage == null) {
                stage = StageTable.PREFIX + tag + "_restored";
                qualified = Dialect.quote(stage);
                deletes = stageRows(batch, stage);
            } else {
                qualified = StageTable.qualified(t, stage);
            }
            conn.setAutoCommit(false);
            try {
                if (CommitLog.committed(conn, batch.id())) {
                    drop(qualified);
                    conn.commit();
                    return;
                }
                if (batch.stage() != null && !StageTable.exists(conn, t, stage)) {
                    throw new DatabaseSinkException(
                            label
                                    + ": staging table "
                                    + stage
                                    + " with the "
                                    + batch.size()
                                    + " rows of a completed checkpoint is missing from "
                                    + o.dialect().product()
                                    + " at "
                                    + o.address()
                                    + " (dropped by hand, or by another run of this same job"
                                    + " writing table "
                                    + t.display()
                                    + "); these rows cannot be"
                                    + " written. Run the job again from its start into a new"
                                    + " table");
                }
                try (Statement st = conn.createStatement()) {
                    if (o.dialect() == Dialect.POSTGRES && t.keyed()) {
                        st.execute(WORK_MEM);
                    }
                    st.executeUpdate(StageTable.mergeSql(t, qualified));
                    if (deletes) {
                        st.executeUpdate(StageTable.deleteSql(t, qualified));
                    }
                }
                CommitLog.record(conn, batch, o.sinkId(), t.display());
                drop(qualified);
                conn.commit();
                committedRows.inc(batch.size());
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Connections.sqlError(o, label, t, e, batch.size());
        }
    }

    /**
     * A batch carrying its rows: checked, then copied into temporary table {@code stage}.
     *
     * @return whether it has DELETE rows
     */
    private boolean stageRows(RowBatch batch, String stage) throws SQLException {
        if (cols == null) {
            cols = TablePreparer.prepare(conn, t, label);
        }
        ValueCheck.check(batch.rows(), t, cols, label, batch.size());
        boolean deletes = false;
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + Dialect.quote(stage));
        }
        try (StageWriter w = StageWriter.open(conn, t, stage, true)) {
            for (Row r : batch.rows()) {
                w.append(r, 0);
                deletes |= r.getKind() == RowKind.DELETE;
            }
            w.finish();
        }
        return deletes;
    }

    private void drop(String qualifiedStage) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + qualifiedStage);
        }
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
        Connections.release(o, conn);
    }
}
