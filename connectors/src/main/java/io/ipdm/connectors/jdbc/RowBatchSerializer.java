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
 * Checkpointed form of a {@link RowBatch}. Version 1: {@code id} (modified UTF-8), {@code
 * preparedAt} (i64), row count (i32), then each row in Flink's row serializer format for the sink's
 * row type (which keeps the row kind).
 */
final class RowBatchSerializer implements SimpleVersionedSerializer<RowBatch> {
    static final int VERSION = 1;
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
        out.writeInt(batch.rows().size());
        for (Row r : batch.rows()) {
            rows.serialize(r, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RowBatch deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "database sink batch: unknown serializer version "
                            + version
                            + " (this build reads "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String id = in.readUTF();
        long at = in.readLong();
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
