package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the serializers of DataSketches accumulators: a 4-byte length, then the sketch's own
 * serialized form (which carries its version and parameters).
 */
abstract class SketchSerializer<T> extends TypeSerializerSingleton<T> {
    @Serial private static final long serialVersionUID = 1L;

    abstract byte[] toBytes(T sketch);

    abstract T fromBytes(byte[] bytes);

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from) {
        return fromBytes(toBytes(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T sketch, DataOutputView out) throws IOException {
        byte[] b = toBytes(sketch);
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) {
            throw new IOException("sketch accumulator of " + n + " bytes: corrupt state");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return fromBytes(b);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        out.writeInt(n);
        out.write(in, n);
    }
}
