package io.ipdm.connectors.solana.synthetic.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code i64 start, i64 end, i64 next}. */
public final class SlotRangeSplitSerializer implements SimpleVersionedSerializer<SlotRangeSplit> {
    public static final SlotRangeSplitSerializer INSTANCE = new SlotRangeSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(SlotRangeSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(24);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    public static void write(SlotRangeSplit split, DataOutputSerializer out) throws IOException {
        out.writeLong(split.start());
        out.writeLong(split.end());
        out.writeLong(split.next());
    }

    @Override
    public SlotRangeSplit deserialize(int version, byte[] bytes) throws IOException {
        return read(version, new DataInputDeserializer(bytes));
    }

    public static SlotRangeSplit read(int version, DataInputDeserializer in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown slot range split serializer version "
                            + version
                            + "; this build reads 1");
        }
        return new SlotRangeSplit(in.readLong(), in.readLong(), in.readLong());
    }
}
