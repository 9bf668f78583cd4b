package io.ipdm.connectors.solana.replay.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 1: {@code longUTF path, i64 slot, i64 recordsEmitted}. Reference bytes per version are
 * kept in the tests; a new layout gets a new version and keeps reading the old ones.
 */
public final class ReplaySplitSerializer implements SimpleVersionedSerializer<ReplaySplit> {
    public static final ReplaySplitSerializer INSTANCE = new ReplaySplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ReplaySplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + split.path().length());
        write(split, out);
        return out.getCopyOfBuffer();
    }

    public static void write(ReplaySplit split, DataOutputSerializer out) throws IOException {
        out.writeLongUTF(split.path());
        out.writeLong(split.slot());
        out.writeLong(split.recordsEmitted());
    }

    @Override
    public ReplaySplit deserialize(int version, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return read(version, in);
    }

    public static ReplaySplit read(int version, DataInputDeserializer in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown replay split serializer version " + version + "; this build reads 1");
        }
        return new ReplaySplit(in.readLongUTF(), in.readLong(), in.readLong());
    }
}
