package io.ipdm.connectors.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Buffers the rows of one checkpoint interval and hands them to the committer as one {@link
 * RowBatch} when the checkpoint barrier passes. Keyed sinks keep only the newest row per key (a
 * window re-fired by late rows replaces its earlier result; one upsert per key also keeps a
 * multi-row {@code INSERT ... ON CONFLICT} from touching a row twice). Runs on the task thread.
 */
final class DatabaseWriter implements CommittingSinkWriter<Row, RowBatch> {
    private final TypeSerializer<Row> copier;
    private final int[] keyIndexes;
    private final Counter recordsOut;
    private final Map<List<Object>, Row> byKey = new LinkedHashMap<>();
    private final List<Row> appended = new ArrayList<>();

    DatabaseWriter(TypeSerializer<Row> copier, int[] keyIndexes, Counter recordsOut) {
        this.copier = copier;
        this.keyIndexes = keyIndexes;
        this.recordsOut = recordsOut;
    }

    @Override
    public void write(Row row, Context context) {
        RowKind kind = row.getKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return; // the UPDATE_AFTER that follows replaces the row
        }
        // the upstream operator may reuse the row object (object reuse is on)
        Row copy = copier.copy(row);
        if (keyIndexes.length == 0) {
            if (kind != RowKind.INSERT) {
                throw new DatabaseSinkException(
                        "a "
                                + kind
                                + " row reached a database sink without key fields; set"
                                + " options.key so updates can replace rows");
            }
            appended.add(copy);
        } else {
            Object[] key = new Object[keyIndexes.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = copy.getField(keyIndexes[i]);
            }
            byKey.put(Arrays.asList(key), copy);
        }
        recordsOut.inc();
    }

    @Override
    public Collection<RowBatch> prepareCommit() {
        if (byKey.isEmpty() && appended.isEmpty()) {
            return List.of();
        }
        List<Row> rows =
                keyIndexes.length == 0 ? List.copyOf(appended) : List.copyOf(byKey.values());
        byKey.clear();
        appended.clear();
        return List.of(
                new RowBatch(UUID.randomUUID().toString(), System.currentTimeMillis(), rows));
    }

    @Override
    public void flush(boolean endOfInput) {
        // rows leave in prepareCommit, which Flink calls at every checkpoint and at end of input
    }

    @Override
    public void close() {}
}
