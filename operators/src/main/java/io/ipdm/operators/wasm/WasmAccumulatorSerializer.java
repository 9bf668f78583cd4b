package io.ipdm.operators.wasm;

import io.ipdm.operators.aggregate.VariableLengthSerializer;
import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.Row;

/**
 * Version 1 layout of a {@link WasmAccumulator}:
 *
 * <pre>
 * utf   module CID (modified UTF-8, as DataOutput.writeUTF)
 * i32   state length n, then n bytes of state blob
 * i32   pending row count m, then m rows in the pending-row serializer
 * </pre>
 *
 * The state blob is the module's own bytes ({@code NAME_snapshot} output when it exports one); the
 * host never interprets it.
 */
public final class WasmAccumulatorSerializer extends VariableLengthSerializer<WasmAccumulator> {
    @Serial private static final long serialVersionUID = 1L;

    /**
     * Largest state blob or pending list read back: a corrupt length fails, never allocates 2 GB.
     */
    static final int MAX_STATE_BYTES = 64 << 20;

    static final int MAX_PENDING_ROWS = 1_000_000;

    private final TypeSerializer<Row> rowSerializer;

    public WasmAccumulatorSerializer(TypeSerializer<Row> rowSerializer) {
        this.rowSerializer = rowSerializer;
    }

    @Override
    public TypeSerializer<WasmAccumulator> duplicate() {
        TypeSerializer<Row> d = rowSerializer.duplicate();
        return d == rowSerializer ? this : new WasmAccumulatorSerializer(d);
    }

    @Override
    public WasmAccumulator createInstance() {
        return new WasmAccumulator("", new byte[0], List.of());
    }

    @Override
    public WasmAccumulator copy(WasmAccumulator from) {
        List<Row> rows = new ArrayList<>(from.pending.size());
        for (Row r : from.pending) {
            rows.add(rowSerializer.copy(r));
        }
        return new WasmAccumulator(from.moduleCid, from.state.clone(), rows);
    }

    @Override
    public void serialize(WasmAccumulator acc, DataOutputView out) throws IOException {
        out.writeUTF(acc.moduleCid);
        out.writeInt(acc.state.length);
        out.write(acc.state);
        out.writeInt(acc.pending.size());
        for (Row r : acc.pending) {
            rowSerializer.serialize(r, out);
        }
    }

    @Override
    public WasmAccumulator deserialize(DataInputView in) throws IOException {
        String cid = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > MAX_STATE_BYTES) {
            throw new IOException(
                    "corrupt WASM aggregate state: blob length "
                            + n
                            + " (max "
                            + MAX_STATE_BYTES
                            + ")");
        }
        byte[] state = new byte[n];
        in.readFully(state);
        int m = in.readInt();
        if (m < 0 || m > MAX_PENDING_ROWS) {
            throw new IOException(
                    "corrupt WASM aggregate state: "
                            + m
                            + " pending rows (max "
                            + MAX_PENDING_ROWS
                            + ")");
        }
        List<Row> rows = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            rows.add(rowSerializer.deserialize(in));
        }
        return new WasmAccumulator(cid, state, rows);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmAccumulatorSerializer s && s.rowSerializer.equals(rowSerializer);
    }

    @Override
    public int hashCode() {
        return rowSerializer.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<WasmAccumulator> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Version 1: the layout above; nests the pending-row serializer's snapshot. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<WasmAccumulator, WasmAccumulatorSerializer> {
        public Snapshot() {}

        Snapshot(WasmAccumulatorSerializer s) {
            super(s);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(WasmAccumulatorSerializer s) {
            return new TypeSerializer<?>[] {s.rowSerializer};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected WasmAccumulatorSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new WasmAccumulatorSerializer((TypeSerializer<Row>) nested[0]);
        }
    }
}
