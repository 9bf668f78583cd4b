package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The accumulators of a window, one after the other, each in its aggregator's serializer. */
public final class AccumulatorsSerializer extends TypeSerializer<Object[]> {
    @Serial private static final long serialVersionUID = 1L;

    private final TypeSerializer<Object>[] serializers;

    @SuppressWarnings("unchecked")
    public AccumulatorsSerializer(TypeSerializer<?>[] serializers) {
        this.serializers = (TypeSerializer<Object>[]) serializers.clone();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Object[]> duplicate() {
        TypeSerializer<?>[] d = new TypeSerializer<?>[serializers.length];
        boolean changed = false;
        for (int i = 0; i < d.length; i++) {
            d[i] = serializers[i].duplicate();
            changed |= d[i] != serializers[i];
        }
        return changed ? new AccumulatorsSerializer(d) : this;
    }

    @Override
    public Object[] createInstance() {
        Object[] a = new Object[serializers.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = serializers[i].createInstance();
        }
        return a;
    }

    @Override
    public Object[] copy(Object[] from) {
        Object[] c = new Object[from.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = serializers[i].copy(from[i]);
        }
        return c;
    }

    @Override
    public Object[] copy(Object[] from, Object[] reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        int total = 0;
        for (TypeSerializer<Object> s : serializers) {
            if (s.getLength() < 0) {
                return -1;
            }
            total += s.getLength();
        }
        return total;
    }

    @Override
    public void serialize(Object[] accs, DataOutputView out) throws IOException {
        for (int i = 0; i < serializers.length; i++) {
            serializers[i].serialize(accs[i], out);
        }
    }

    @Override
    public Object[] deserialize(DataInputView in) throws IOException {
        Object[] a = new Object[serializers.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = serializers[i].deserialize(in);
        }
        return a;
    }

    @Override
    public Object[] deserialize(Object[] reuse, DataInputView in) throws IOException {
        if (reuse == null || reuse.length != serializers.length) {
            return deserialize(in);
        }
        for (int i = 0; i < reuse.length; i++) {
            reuse[i] =
                    reuse[i] == null
                            ? serializers[i].deserialize(in)
                            : serializers[i].deserialize(reuse[i], in);
        }
        return reuse;
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        for (TypeSerializer<Object> s : serializers) {
            s.copy(in, out);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccumulatorsSerializer s && Arrays.equals(s.serializers, serializers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serializers);
    }

    @Override
    public TypeSerializerSnapshot<Object[]> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Version 1: nests one snapshot per aggregate, in order. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<Object[], AccumulatorsSerializer> {
        public Snapshot() {}

        Snapshot(AccumulatorsSerializer s) {
            super(s);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(AccumulatorsSerializer s) {
            return s.serializers.clone();
        }

        @Override
        protected AccumulatorsSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new AccumulatorsSerializer(nested);
        }
    }
}
