package io.ipdm.connectors.solana.replay.enumerator;

import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.connectors.solana.replay.split.ReplaySplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 2: {@code i32 count, count x split (split serializer v2 layout)}; version 1 (split v1
 * layout) still reads.
 */
public final class ReplayEnumeratorStateSerializer
        implements SimpleVersionedSerializer<ReplayEnumeratorState> {
    public static final ReplayEnumeratorStateSerializer INSTANCE =
            new ReplayEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return ReplaySplitSerializer.VERSION;
    }

    @Override
    public byte[] serialize(ReplayEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(state.pending().size());
        for (ReplaySplit s : state.pending()) {
            ReplaySplitSerializer.write(s, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ReplayEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException(
                    "unknown replay enumerator state version "
                            + version
                            + "; this build reads 1 and 2");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        List<ReplaySplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(ReplaySplitSerializer.read(version, in));
        }
        return new ReplayEnumeratorState(splits);
    }
}
