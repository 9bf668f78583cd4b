package io.ipdm.connectors.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * Writes rows into a PostgreSQL or DuckDB table (Flink Sink V2 with a committer).
 *
 * <p><b>Table.</b> Created from the row type when missing (one column per field, the key fields as
 * primary key), otherwise checked against it; see {@link TablePreparer}.
 *
 * <p><b>Updates.</b> With key fields (by default a window's key fields and {@code window_start}),
 * each row is an upsert ({@code INSERT ... ON CONFLICT (key) DO UPDATE}), so a window re-fired by
 * late rows ({@code UPDATE_AFTER}) replaces its earlier row; {@code DELETE} rows delete by key.
 * Without key fields the sink appends. The rows of one key must reach one subtask, in order: the
 * pipeline compiler partitions the stream by the key before the sink.
 *
 * <p><b>Exactly once: two-phase, through the Sink V2 committer.</b> Each writer subtask copies the
 * rows of one checkpoint interval into a staging table of its own while they arrive ({@link
 * DatabaseWriter}) and hands the table's name over as one {@link RowBatch} when the barrier passes;
 * the committer merges the table into the target in one transaction only after the checkpoint
 * completed, together with the batch's id in the {@link CommitLog} and the staging table's drop
 * ({@link DatabaseCommitter}, {@link StageTable}). Why this rather than writing upserts as rows
 * arrive: the table then only ever shows complete checkpoints (no rows a failure is about to
 * replay, no window value that goes back to an older one during a replay), appends of keyless
 * streams are not duplicated by replays, and a batch Flink commits again after a restore is
 * recognised by its id and skipped. The cost: rows reach the table once per checkpoint interval.
 * Without checkpoints, everything is committed at the end of a bounded job.
 */
public final class DatabaseSink
        implements Sink<Row>, SupportsCommitter<RowBatch>, SupportsWriterState<Row, String> {
    private final DatabaseSinkOptions options;
    private final RowTypeInfo type;

    private DatabaseSink(DatabaseSinkOptions options, RowTypeInfo type) {
        this.options = options;
        this.type = type;
    }

    /**
     * @throws IllegalArgumentException when a key field is missing or a field has no column type
     */
    public static DatabaseSink create(DatabaseSinkOptions options, RowTypeInfo type) {
        layout(options, type);
        return new DatabaseSink(options, type);
    }

    private static TableLayout layout(DatabaseSinkOptions options, RowTypeInfo type) {
        return new TableLayout(options.dialect(), options.table(), type, options.key());
    }

    public DatabaseSinkOptions options() {
        return options;
    }

    @Override
    public StatefulSinkWriter<Row, String> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<Row, String> restoreWriter(
            WriterInitContext context, Collection<String> recoveredState) {
        TypeSerializer<Row> copier = context.createInputSerializer();
        return new DatabaseWriter(
                options,
                layout(options, type),
                copier,
                context.metricGroup().getNumRecordsSendCounter(),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.getRestoredCheckpointId().orElse(0),
                recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<String> getWriterStateSerializer() {
        return WriterTagState.INSTANCE;
    }

    @Override
    public Committer<RowBatch> createCommitter(CommitterInitContext context) throws IOException {
        return new DatabaseCommitter(
                options, layout(options, type), context.metricGroup().counter("rowsCommitted"));
    }

    @Override
    public SimpleVersionedSerializer<RowBatch> getCommittableSerializer() {
        return new RowBatchSerializer(type);
    }

    /**
     * The writer's state is the tag of its staging tables' names: a run restored with other {@code
     * --set} values has another job identity, so it sweeps the killed run's orphans under the tag
     * the checkpoint recorded as well as its own. Version 1 (builds before) wrote no state.
     */
    private enum WriterTagState implements SimpleVersionedSerializer<String> {
        INSTANCE;

        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(String tag) {
            return tag.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(int version, byte[] serialized) throws IOException {
            if (version != 2) {
                throw new IOException(
                        "database sink writer state version " + version + " holds no tag");
            }
            return new String(serialized, StandardCharsets.UTF_8);
        }
    }
}
