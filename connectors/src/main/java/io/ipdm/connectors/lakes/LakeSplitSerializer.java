package io.ipdm.connectors.lakes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: {@code id kind location ref} as modified UTF-8, then {@code skip} as a long. */
final class LakeSplitSerializer implements SimpleVersionedSerializer<LakeSplit> {
    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LakeSplit s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, s);
        }
        return bytes.toByteArray();
    }

    static void write(DataOutputStream out, LakeSplit s) throws IOException {
        out.writeUTF(s.id());
        out.writeUTF(s.kind());
        out.writeUTF(s.location());
        out.writeUTF(s.ref());
        out.writeLong(s.skip());
    }

    static LakeSplit read(DataInputStream in) throws IOException {
        return new LakeSplit(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readLong());
    }

    @Override
    public LakeSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown lake split serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        }
    }

    /** The enumerator's checkpoint: the splits not yet assigned. */
    static final class Pending implements SimpleVersionedSerializer<Collection<LakeSplit>> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(Collection<LakeSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (LakeSplit s : splits) {
                    write(out, s);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<LakeSplit> deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown lake enumerator state version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                int n = in.readInt();
                List<LakeSplit> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(read(in));
                }
                return out;
            }
        }
    }
}
