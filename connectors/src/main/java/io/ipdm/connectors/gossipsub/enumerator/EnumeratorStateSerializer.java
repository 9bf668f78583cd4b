package io.ipdm.connectors.gossipsub.enumerator;

import io.ipdm.connectors.gossipsub.split.GossipsubSplit;
import io.ipdm.connectors.gossipsub.split.GossipsubSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code i32 n, n x (i32 len, split bytes v1)}. */
public final class EnumeratorStateSerializer
        implements SimpleVersionedSerializer<List<GossipsubSplit>> {
    public static final EnumeratorStateSerializer INSTANCE = new EnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(List<GossipsubSplit> splits) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(splits.size());
        for (GossipsubSplit s : splits) {
            byte[] b = GossipsubSplitSerializer.INSTANCE.serialize(s);
            out.writeInt(b.length);
            out.write(b);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public List<GossipsubSplit> deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown gossipsub enumerator state version "
                            + version
                            + "; this build reads 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        if (n < 0 || n > 16) {
            throw new IOException("corrupt gossipsub enumerator state: " + n + " splits");
        }
        List<GossipsubSplit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > bytes.length) {
                throw new IOException(
                        "corrupt gossipsub enumerator state: split of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            out.add(GossipsubSplitSerializer.INSTANCE.deserialize(1, b));
        }
        return out;
    }
}
