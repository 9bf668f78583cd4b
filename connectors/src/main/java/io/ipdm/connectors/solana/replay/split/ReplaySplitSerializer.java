package io.ipdm.connectors.solana.replay.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 2: {@code longUTF path, i64 slot, i64 blockTime, i64 recordsEmitted}. Version 1 (no
 * blockTime) still reads, as a split without block time. Reference bytes per version are kept in
 * the tests; a new layout gets a new version and keeps reading the old ones.
 */
public final class ReplaySplitSerializer implements SimpleVersionedSerializer<ReplaySplit> {
    public static final ReplaySplitSerializer INSTANCE = new ReplaySplitSerializer();
    public static final int VERSION = 2;

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

    /** Writes the current version's layout. */
    public static void write(ReplaySplit split, DataOutputSerializer out) throws IOException {
        out.writeLongUTF(split.path());
        out.writeLong(split.slot());
        out.writeLong(split.blockTime());
        out.writeLong(split.recordsEmitted());
    }

    @Override
    public ReplaySplit deserialize(int version, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return read(version, in);
    }

    public static ReplaySplit read(int version, DataInputDeserializer in) throws IOException {
        return switch (version) {
            case 1 ->
                    new ReplaySplit(
                            in.readLongUTF(),
                            in.readLong(),
                            ReplaySplit.NO_BLOCK_TIME,
                            in.readLong());
            case 2 ->
                    new ReplaySplit(in.readLongUTF(), in.readLong(), in.readLong(), in.readLong());
            default ->
                    throw new IOException(
                            "unknown replay split serializer version "
                                    + version
                                    + "; this build reads 1 and 2");
        };
    }
}
