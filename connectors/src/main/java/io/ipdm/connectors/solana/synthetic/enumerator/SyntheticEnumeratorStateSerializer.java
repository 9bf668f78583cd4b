package io.ipdm.connectors.solana.synthetic.enumerator;

import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code i64 nextStart, i32 n, n x split (v1 layout)}. */
public final class SyntheticEnumeratorStateSerializer
        implements SimpleVersionedSerializer<SyntheticEnumeratorState> {
    public static final SyntheticEnumeratorStateSerializer INSTANCE =
            new SyntheticEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(SyntheticEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(state.nextStart());
        out.writeInt(state.returned().size());
        for (SlotRangeSplit s : state.returned()) {
            SlotRangeSplitSerializer.write(s, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SyntheticEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown synthetic enumerator state version "
                            + version
                            + "; this build reads 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        long next = in.readLong();
        int n = in.readInt();
        List<SlotRangeSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(SlotRangeSplitSerializer.read(1, in));
        }
        return new SyntheticEnumeratorState(next, splits);
    }
}
