package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import java.util.HashSet;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Exact distinct values: a 4-byte count, then each value in its field's serializer. */
public final class DistinctSetSerializer extends VariableLengthSerializer<HashSet<Object>> {
    @Serial private static final long serialVersionUID = 1L;

    private final TypeSerializer<Object> elementSerializer;

    @SuppressWarnings("unchecked")
    public DistinctSetSerializer(TypeSerializer<?> elementSerializer) {
        this.elementSerializer = (TypeSerializer<Object>) elementSerializer;
    }

    @Override
    public TypeSerializer<HashSet<Object>> duplicate() {
        TypeSerializer<Object> d = elementSerializer.duplicate();
        return d == elementSerializer ? this : new DistinctSetSerializer(d);
    }

    @Override
    public HashSet<Object> createInstance() {
        return new HashSet<>();
    }

    @Override
    public HashSet<Object> copy(HashSet<Object> from) {
        if (elementSerializer.isImmutableType()) {
            return new HashSet<>(from);
        }
        HashSet<Object> c = new HashSet<>();
        for (Object o : from) {
            c.add(elementSerializer.copy(o));
        }
        return c;
    }

    @Override
    public void serialize(HashSet<Object> set, DataOutputView out) throws IOException {
        out.writeInt(set.size());
        for (Object o : set) {
            elementSerializer.serialize(o, out);
        }
    }

    @Override
    public HashSet<Object> deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(
                    "exact count_distinct accumulator with " + n + " values: corrupt state");
        }
        HashSet<Object> set = new HashSet<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            set.add(elementSerializer.deserialize(in));
        }
        return set;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinctSetSerializer s
                && s.elementSerializer.equals(elementSerializer);
    }

    @Override
    public int hashCode() {
        return elementSerializer.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<HashSet<Object>> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Version 1: nests the element serializer's snapshot. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<HashSet<Object>, DistinctSetSerializer> {
        public Snapshot() {}

        Snapshot(DistinctSetSerializer s) {
            super(s);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(DistinctSetSerializer s) {
            return new TypeSerializer<?>[] {s.elementSerializer};
        }

        @Override
        protected DistinctSetSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new DistinctSetSerializer(nested[0]);
        }
    }
}
