package io.ipdm.connectors.jdbc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;

/**
 * Checkpointed form of a {@link RowBatch}.
 *
 * <pre>
 * version 1: id (modified UTF-8) | preparedAt (i64) | row count (i32) | rows
 * version 2: id (modified UTF-8) | preparedAt (i64) | form (u8)
 *            form 1 (staged): stage (modified UTF-8) | staged rows (i64) | deletes (bool)
 *            form 0 (rows):   row count (i32) | rows
 * </pre>
 *
 * Rows are in Flink's row serializer format for the sink's row type (which keeps the row kind).
 */
final class RowBatchSerializer implements SimpleVersionedSerializer<RowBatch> {
    static final int VERSION = 2;
    private static final int ROWS = 0;
    private static final int STAGED = 1;
    private final TypeSerializer<Row> rows;

    RowBatchSerializer(RowTypeInfo type) {
        this.rows = type.createSerializer(new SerializerConfigImpl());
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RowBatch batch) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256 + batch.rows().size() * 64);
        out.writeUTF(batch.id());
        out.writeLong(batch.preparedAt());
        if (batch.stage() != null) {
            out.writeByte(STAGED);
            out.writeUTF(batch.stage());
            out.writeLong(batch.stagedRows());
            out.writeBoolean(batch.deletes());
        } else {
            out.writeByte(ROWS);
            writeRows(batch, out);
        }
        return out.getCopyOfBuffer();
    }

    private void writeRows(RowBatch batch, DataOutputSerializer out) throws IOException {
        out.writeInt(batch.rows().size());
        for (Row r : batch.rows()) {
            rows.serialize(r, out);
        }
    }

    @Override
    public RowBatch deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException(
                    "database sink batch: unknown serializer version "
                            + version
                            + " (this build reads 1 and "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String id = in.readUTF();
        long at = in.readLong();
        int form = version == 1 ? ROWS : in.readUnsignedByte();
        if (form == STAGED) {
            String stage = in.readUTF();
            long n = in.readLong();
            boolean deletes = in.readBoolean();
            if (n < 0) {
                throw new IOException("database sink batch " + id + ": bad row count " + n);
            }
            return RowBatch.staged(id, at, stage, n, deletes);
        }
        if (form != ROWS) {
            throw new IOException("database sink batch " + id + ": unknown form " + form);
        }
        int n = in.readInt();
        if (n < 0 || n > bytes.length) {
            throw new IOException("database sink batch " + id + ": bad row count " + n);
        }
        List<Row> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(rows.deserialize(in));
        }
        return new RowBatch(id, at, list);
    }
}
