package io.ipdm.connectors.solana.archive.enumerator;

import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.archive.split.ArchiveSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code bool discovered, i64 lastSlot, i32 n, n x split (split version 1)}. */
public final class ArchiveEnumeratorStateSerializer
        implements SimpleVersionedSerializer<ArchiveEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ArchiveEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.discovered());
        out.writeLong(state.lastSlot());
        out.writeInt(state.pending().size());
        for (ArchiveSplit s : state.pending()) {
            ArchiveSplitSerializer.write(s, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ArchiveEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown archive enumerator state version " + version + "; this build reads 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        boolean discovered = in.readBoolean();
        long last = in.readLong();
        int n = in.readInt();
        List<ArchiveSplit> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(ArchiveSplitSerializer.read(1, in));
        }
        return new ArchiveEnumeratorState(discovered, last, pending);
    }
}
