package io.ipdm.connectors.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Copies the rows of each checkpoint interval into a staging table of its own ({@link StageTable})
 * as they arrive, and hands the table's name to the committer as a {@link RowBatch} when the
 * checkpoint barrier passes; the committer merges it once the checkpoint completed. Rows are
 * collected {@code batchSize} at a time first: keyed sinks keep only the newest row per key there
 * (a window re-fired by late rows replaces its earlier result), and the values are checked against
 * the table's columns ({@link ValueCheck}) before they are copied.
 *
 * <p>Connects, creates or checks the table, and drops the staging tables a failed run left behind
 * when created, so a job with a wrong URL, user or table fails at its start. Its only state in
 * checkpoints is its staging tables' tag ({@link #snapshotState} also learns the checkpoint id that
 * names the next staging table). Runs on the task thread.
 */
final class DatabaseWriter
        implements CommittingSinkWriter<Row, RowBatch>, StatefulSinkWriter<Row, String> {
    private final DatabaseSinkOptions o;
    private final TableLayout t;
    private final String label;
    private final TypeSerializer<Row> copier;
    private final Counter recordsOut;
    private final Connection conn;
    private final List<TablePreparer.ColumnInfo> cols;
    private final String tag;
    private final int subtask;
    private final Map<List<Object>, Row> byKey = new LinkedHashMap<>();
    private final List<Row> appended = new ArrayList<>();
    private long after;
    private StageWriter stage;
    private long intervalRows;
    private long stagedRows;
    private int flushes;
    private boolean deletes;

    /**
     * @param restored the checkpoint the job restored from, 0 when none
     * @param restoredTags the staging-table tags the restored checkpoint recorded (another run's
     *     tag when the job's identity changed since, e.g. by other {@code --set} values)
     */
    DatabaseWriter(
            DatabaseSinkOptions o,
            TableLayout t,
            TypeSerializer<Row> copier,
            Counter recordsOut,
            int subtask,
            int parallelism,
            long restored,
            Collection<String> restoredTags) {
        this.o = o;
        this.t = t;
        this.label = o.dialect().kind() + " sink '" + o.sinkId() + "'";
        this.copier = copier;
        this.recordsOut = recordsOut;
        this.subtask = subtask;
        this.after = restored;
        this.tag = StageTable.tag(o, t);
        this.conn = Connections.open(o, label);
        try {
            conn.setAutoCommit(true);
            this.cols = TablePreparer.prepare(conn, t, label);
            for (String old : new TreeSet<>(restoredTags)) {
                if (!old.equals(tag)) {
                    StageTable.dropOrphans(conn, t, old, subtask, parallelism, restored);
                }
            }
            StageTable.dropOrphans(conn, t, tag, subtask, parallelism, restored);
        } catch (SQLException e) {
            closeQuietly();
            throw Connections.sqlError(o, label, t, e, -1);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    @Override
    public void write(Row row, Context context) {
        RowKind kind = row.getKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return; // the UPDATE_AFTER that follows replaces the row
        }
        // the upstream operator may reuse the row object (object reuse is on)
        Row copy = copier.copy(row);
        if (!t.keyed()) {
            if (kind != RowKind.INSERT) {
                throw new DatabaseSinkException(
                        "a "
                                + kind
                                + " row reached a database sink without key fields; set"
                                + " options.key so updates can replace rows");
            }
            appended.add(copy);
        } else {
            Object[] key = new Object[t.keyIndexes.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = copy.getField(t.keyIndexes[i]);
            }
            byKey.put(Arrays.asList(key), copy);
        }
        intervalRows++;
        recordsOut.inc();
        if (byKey.size() + appended.size() >= o.batchSize()) {
            copyBuffered();
        }
    }

    /** The collected rows into this interval's staging table (created on its first rows). */
    private void copyBuffered() {
        Collection<Row> rows = t.keyed() ? byKey.values() : appended;
        if (rows.isEmpty()) {
            return;
        }
        ValueCheck.check(rows, t, cols, label, intervalRows);
        try {
            if (stage == null) {
                stage = StageWriter.open(conn, t, StageTable.name(tag, subtask, after), false);
            }
            for (Row r : rows) {
                stage.append(r, flushes);
                deletes |= r.getKind() == RowKind.DELETE;
            }
            stage.flush();
        } catch (SQLException e) {
            throw Connections.sqlError(o, label, t, e, intervalRows);
        }
        stagedRows += rows.size();
        flushes++;
        byKey.clear();
        appended.clear();
    }

    @Override
    public Collection<RowBatch> prepareCommit() {
        copyBuffered();
        if (stage == null) {
            return List.of();
        }
        try {
            stage.finish();
        } catch (SQLException e) {
            throw Connections.sqlError(o, label, t, e, intervalRows);
        }
        RowBatch batch =
                RowBatch.staged(
                        UUID.randomUUID().toString(),
                        System.currentTimeMillis(),
                        stage.name,
                        stagedRows,
                        deletes);
        stage = null;
        intervalRows = 0;
        stagedRows = 0;
        flushes = 0;
        deletes = false;
        return List.of(batch);
    }

    @Override
    public List<String> snapshotState(long checkpointId) {
        // called right after prepareCommit: the next interval's rows go to a table named after it
        after = checkpointId;
        return List.of(tag);
    }

    @Override
    public void flush(boolean endOfInput) {
        // rows leave in prepareCommit, which Flink calls at every checkpoint and at end of input
    }

    private void closeQuietly() {
        try {
            Connections.release(o, conn);
        } catch (SQLException ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    @Override
    public void close() {
        if (stage != null) {
            stage.close(); // an interval cut short: its table is dropped when the job restarts
            stage = null;
        }
        closeQuietly();
    }
}
