package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Exact item counts: a 4-byte entry count, then per entry the item (modified UTF-8) and its count.
 */
public final class ItemCountsSerializer extends TypeSerializerSingleton<HashMap<String, Long>> {
    @Serial private static final long serialVersionUID = 1L;

    public static final ItemCountsSerializer INSTANCE = new ItemCountsSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public HashMap<String, Long> createInstance() {
        return new HashMap<>();
    }

    @Override
    public HashMap<String, Long> copy(HashMap<String, Long> from) {
        return new HashMap<>(from);
    }

    @Override
    public HashMap<String, Long> copy(HashMap<String, Long> from, HashMap<String, Long> reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(HashMap<String, Long> map, DataOutputView out) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, Long> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    @Override
    public HashMap<String, Long> deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("exact top_k accumulator with " + n + " items: corrupt state");
        }
        HashMap<String, Long> map = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readLong());
        }
        return map;
    }

    @Override
    public HashMap<String, Long> deserialize(HashMap<String, Long> reuse, DataInputView in)
            throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<HashMap<String, Long>> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<HashMap<String, Long>> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
