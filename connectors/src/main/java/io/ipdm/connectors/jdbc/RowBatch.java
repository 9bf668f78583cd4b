package io.ipdm.connectors.jdbc;

import java.util.List;
import org.apache.flink.types.Row;

/**
 * What one writer subtask received between two checkpoints, committed in one transaction once the
 * checkpoint completes: normally the name of the staging table the writer copied the rows into
 * ({@link StageTable}); in checkpoints of builds before staging tables (serializer version 1), the
 * rows themselves.
 *
 * @param id unique per batch; recorded in the {@link CommitLog} with the rows
 * @param preparedAt wall-clock millis when the batch was cut, for pruning the commit log
 * @param stage the staging table holding the rows, or null when {@code rows} carries them
 * @param stagedRows rows in {@code stage}
 * @param deletes whether {@code stage} holds {@code DELETE} rows
 * @param rows {@code INSERT}/{@code UPDATE_AFTER} rows are upserted, {@code DELETE} rows deleted;
 *     empty when {@code stage} is set
 */
public record RowBatch(
        String id,
        long preparedAt,
        String stage,
        long stagedRows,
        boolean deletes,
        List<Row> rows) {
    public RowBatch {
        rows = List.copyOf(rows);
    }

    /** A batch carrying its rows (version 1 checkpoints). */
    public RowBatch(String id, long preparedAt, List<Row> rows) {
        this(id, preparedAt, null, 0, false, rows);
    }

    /** A batch whose rows wait in a staging table. */
    static RowBatch staged(String id, long preparedAt, String stage, long rows, boolean deletes) {
        return new RowBatch(id, preparedAt, stage, rows, deletes, List.of());
    }

    /** Rows in the batch. */
    long size() {
        return stage != null ? stagedRows : rows.size();
    }
}
