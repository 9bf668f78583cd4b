package io.ipdm.operators.aggregate;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the accumulator serializers share: mutable values of variable length, never reused (each
 * read makes a new value), copied from view to view by reading and writing the value again.
 */
public abstract class VariableLengthSerializer<T> extends TypeSerializer<T> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }
}
