package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A 4-byte count, then each double (8 bytes, big-endian). */
public final class DoubleListSerializer extends TypeSerializerSingleton<DoubleList> {
    @Serial private static final long serialVersionUID = 1L;

    public static final DoubleListSerializer INSTANCE = new DoubleListSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DoubleList createInstance() {
        return new DoubleList();
    }

    @Override
    public DoubleList copy(DoubleList from) {
        return new DoubleList(from.toArray(), from.size);
    }

    @Override
    public DoubleList copy(DoubleList from, DoubleList reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DoubleList list, DataOutputView out) throws IOException {
        out.writeInt(list.size);
        for (int i = 0; i < list.size; i++) {
            out.writeDouble(list.values[i]);
        }
    }

    @Override
    public DoubleList deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(
                    "exact quantiles accumulator with " + n + " values: corrupt state");
        }
        double[] v = new double[Math.max(8, n)];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return new DoubleList(v, n);
    }

    @Override
    public DoubleList deserialize(DoubleList reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        out.writeInt(n);
        out.write(in, n * 8);
    }

    @Override
    public TypeSerializerSnapshot<DoubleList> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DoubleList> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
