package io.ipdm.connectors.gossipsub.split;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: {@code utf topic, i32 n, n x utf id}. */
public final class GossipsubSplitSerializer implements SimpleVersionedSerializer<GossipsubSplit> {
    public static final GossipsubSplitSerializer INSTANCE = new GossipsubSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(GossipsubSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + split.recentIds().size() * 96);
        out.writeUTF(split.topic());
        out.writeInt(split.recentIds().size());
        for (String id : split.recentIds()) {
            out.writeUTF(id);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public GossipsubSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "unknown gossipsub split serializer version "
                            + version
                            + "; this build reads 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String topic = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > bytes.length) {
            throw new IOException("corrupt gossipsub split: " + n + " ids");
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readUTF());
        }
        return new GossipsubSplit(topic, ids);
    }
}
