package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A set flag (one byte), the time (8 bytes) and, when set, the value in its field's serializer. */
public final class ValueAccSerializer extends VariableLengthSerializer<ValueAcc> {
    @Serial private static final long serialVersionUID = 1L;

    private final TypeSerializer<Object> valueSerializer;

    @SuppressWarnings("unchecked")
    public ValueAccSerializer(TypeSerializer<?> valueSerializer) {
        this.valueSerializer = (TypeSerializer<Object>) valueSerializer;
    }

    TypeSerializer<Object> valueSerializer() {
        return valueSerializer;
    }

    @Override
    public TypeSerializer<ValueAcc> duplicate() {
        TypeSerializer<Object> d = valueSerializer.duplicate();
        return d == valueSerializer ? this : new ValueAccSerializer(d);
    }

    @Override
    public ValueAcc createInstance() {
        return new ValueAcc();
    }

    @Override
    public ValueAcc copy(ValueAcc from) {
        ValueAcc c = new ValueAcc();
        c.set = from.set;
        c.time = from.time;
        c.value = from.value == null ? null : valueSerializer.copy(from.value);
        return c;
    }

    @Override
    public void serialize(ValueAcc acc, DataOutputView out) throws IOException {
        out.writeBoolean(acc.set);
        out.writeLong(acc.time);
        if (acc.set) {
            valueSerializer.serialize(acc.value, out);
        }
    }

    @Override
    public ValueAcc deserialize(DataInputView in) throws IOException {
        ValueAcc acc = new ValueAcc();
        acc.set = in.readBoolean();
        acc.time = in.readLong();
        if (acc.set) {
            acc.value = valueSerializer.deserialize(in);
        }
        return acc;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueAccSerializer s && s.valueSerializer.equals(valueSerializer);
    }

    @Override
    public int hashCode() {
        return valueSerializer.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ValueAcc> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Version 1: the layout above; nests the value serializer's snapshot. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<ValueAcc, ValueAccSerializer> {
        public Snapshot() {}

        Snapshot(ValueAccSerializer s) {
            super(s);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(ValueAccSerializer s) {
            return new TypeSerializer<?>[] {s.valueSerializer};
        }

        @Override
        protected ValueAccSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new ValueAccSerializer(nested[0]);
        }
    }
}
