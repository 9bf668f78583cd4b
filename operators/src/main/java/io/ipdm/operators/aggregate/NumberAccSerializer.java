package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Fixed 24 bytes: count, long value, double value (big-endian). */
public final class NumberAccSerializer extends TypeSerializerSingleton<NumberAcc> {
    @Serial private static final long serialVersionUID = 1L;

    public static final NumberAccSerializer INSTANCE = new NumberAccSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public NumberAcc createInstance() {
        return new NumberAcc();
    }

    @Override
    public NumberAcc copy(NumberAcc from) {
        return new NumberAcc(from.count, from.longValue, from.doubleValue);
    }

    @Override
    public NumberAcc copy(NumberAcc from, NumberAcc reuse) {
        reuse.count = from.count;
        reuse.longValue = from.longValue;
        reuse.doubleValue = from.doubleValue;
        return reuse;
    }

    @Override
    public int getLength() {
        return 24;
    }

    @Override
    public void serialize(NumberAcc acc, DataOutputView out) throws IOException {
        out.writeLong(acc.count);
        out.writeLong(acc.longValue);
        out.writeDouble(acc.doubleValue);
    }

    @Override
    public NumberAcc deserialize(DataInputView in) throws IOException {
        return deserialize(new NumberAcc(), in);
    }

    @Override
    public NumberAcc deserialize(NumberAcc reuse, DataInputView in) throws IOException {
        reuse.count = in.readLong();
        reuse.longValue = in.readLong();
        reuse.doubleValue = in.readDouble();
        return reuse;
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.write(in, 24);
    }

    @Override
    public TypeSerializerSnapshot<NumberAcc> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the 24-byte layout above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NumberAcc> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
