package io.ipdm.connectors.jdbc;

import java.util.List;
import org.apache.flink.types.Row;

/**
 * The rows one writer subtask received between two checkpoints (the newest per key when keyed),
 * committed in one transaction once the checkpoint completes.
 *
 * @param id unique per batch; recorded in the {@link CommitLog} with the rows
 * @param preparedAt wall-clock millis when the batch was cut, for pruning the commit log
 * @param rows {@code INSERT}/{@code UPDATE_AFTER} rows are upserted, {@code DELETE} rows deleted
 */
public record RowBatch(String id, long preparedAt, List<Row> rows) {
    public RowBatch {
        rows = List.copyOf(rows);
    }
}
