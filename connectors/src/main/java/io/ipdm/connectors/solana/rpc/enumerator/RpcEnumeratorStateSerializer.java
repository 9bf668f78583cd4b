package io.ipdm.connectors.solana.rpc.enumerator;

import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import io.ipdm.connectors.solana.rpc.split.RpcSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code i32 n, n x split (v1 layout)}. */
public final class RpcEnumeratorStateSerializer
        implements SimpleVersionedSerializer<RpcEnumeratorState> {
    public static final RpcEnumeratorStateSerializer INSTANCE = new RpcEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(RpcEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(32);
        out.writeInt(state.unassigned().size());
        for (RpcSplit s : state.unassigned()) {
            RpcSplitSerializer.write(s, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RpcEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown RPC enumerator state version " + version + "; this build reads 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        List<RpcSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(RpcSplitSerializer.read(1, in));
        }
        return new RpcEnumeratorState(splits);
    }
}
