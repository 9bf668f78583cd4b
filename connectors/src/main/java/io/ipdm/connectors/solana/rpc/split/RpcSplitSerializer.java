package io.ipdm.connectors.solana.rpc.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code i64 nextSlot, i64 endSlot} (-1 = from tip / unbounded). */
public final class RpcSplitSerializer implements SimpleVersionedSerializer<RpcSplit> {
    public static final RpcSplitSerializer INSTANCE = new RpcSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(RpcSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    public static void write(RpcSplit split, DataOutputSerializer out) throws IOException {
        out.writeLong(split.nextSlot());
        out.writeLong(split.endSlot());
    }

    @Override
    public RpcSplit deserialize(int version, byte[] bytes) throws IOException {
        return read(version, new DataInputDeserializer(bytes));
    }

    public static RpcSplit read(int version, DataInputDeserializer in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown RPC split serializer version " + version + "; this build reads 1");
        }
        return new RpcSplit(in.readLong(), in.readLong());
    }
}
