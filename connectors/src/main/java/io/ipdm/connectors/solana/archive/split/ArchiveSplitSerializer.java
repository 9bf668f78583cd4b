package io.ipdm.connectors.solana.archive.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 1: {@code u8 kind, longUTF location, longUTF index, i64 start, i64 end, i64 firstSlot,
 * i64 lastSlot, i64 previousSlot, UTF previousBlockhash, i32 blocks, i32 done}. Reference bytes per
 * version are kept in the tests; a new layout gets a new version and keeps reading the old ones.
 */
public final class ArchiveSplitSerializer implements SimpleVersionedSerializer<ArchiveSplit> {
    public static final ArchiveSplitSerializer INSTANCE = new ArchiveSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ArchiveSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128 + split.location().length());
        write(split, out);
        return out.getCopyOfBuffer();
    }

    public static void write(ArchiveSplit s, DataOutputSerializer out) throws IOException {
        out.writeByte(s.kind());
        out.writeLongUTF(s.location());
        out.writeLongUTF(s.index());
        out.writeLong(s.start());
        out.writeLong(s.end());
        out.writeLong(s.firstSlot());
        out.writeLong(s.lastSlot());
        out.writeLong(s.previousSlot());
        out.writeUTF(s.previousBlockhash());
        out.writeInt(s.blocks());
        out.writeInt(s.done());
    }

    @Override
    public ArchiveSplit deserialize(int version, byte[] bytes) throws IOException {
        return read(version, new DataInputDeserializer(bytes));
    }

    public static ArchiveSplit read(int version, DataInputDeserializer in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown archive split serializer version " + version + "; this build reads 1");
        }
        return new ArchiveSplit(
                in.readByte(),
                in.readLongUTF(),
                in.readLongUTF(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readUTF(),
                in.readInt(),
                in.readInt());
    }
}
