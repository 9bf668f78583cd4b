package io.ipdm.wasm.abi;

import static io.ipdm.wasm.abi.ArrowArrayLayout.align8;

import io.ipdm.wasm.WasmInstance;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Copies an Arrow batch into a module's linear memory in the C Data Interface layout: one arena
 * allocation for the whole batch, then one bulk copy per Arrow buffer. The batch is a struct array
 * (no validity) with one child per column; a column without nulls gets a null validity pointer.
 */
public final class BatchWriter {
    private int cursor;
    private ByteBuffer mem;

    /** Writes {@code root} (whose vectors follow {@code schema}) and returns the batch pointer. */
    public int write(WasmInstance instance, BatchSchema schema, VectorSchemaRoot root) {
        int n = root.getRowCount();
        int size = ArrowArrayLayout.SIZE + align8(4) + align8(4 * schema.size());
        for (int c = 0; c < schema.size(); c++) {
            size += columnSize(schema.column(c).type(), root.getVector(c), n);
        }
        int base = instance.allocate(size);
        mem = instance.memory();
        cursor = base;
        int top = struct(n, 0, 1, schema.size());
        int buffers = take(4);
        mem.putInt(buffers, 0);
        int children = take(4 * schema.size());
        mem.putInt(top + ArrowArrayLayout.BUFFERS, buffers);
        mem.putInt(top + ArrowArrayLayout.CHILDREN, children);
        for (int c = 0; c < schema.size(); c++) {
            mem.putInt(children + 4 * c, column(schema.column(c).type(), root.getVector(c), n));
        }
        mem = null;
        return top;
    }

    private static int columnSize(ColumnType t, FieldVector v, int n) {
        int s = ArrowArrayLayout.SIZE + align8(4 * t.bufferCount()) + validitySize(v, n);
        switch (t) {
            case BOOL -> s += align8((n + 7) / 8);
            case UTF8, BINARY -> s += align8(4 * (n + 1)) + align8(endOffset(v, n));
            case LIST_UTF8 -> {
                FieldVector child = ((ListVector) v).getDataVector();
                int m = endOffset(v, n);
                s += align8(4 * (n + 1)) + align8(4) + ArrowArrayLayout.SIZE + align8(12);
                s += validitySize(child, m) + align8(4 * (m + 1)) + align8(endOffset(child, m));
            }
            default -> s += align8(n * t.width());
        }
        return s;
    }

    private int column(ColumnType t, FieldVector v, int n) {
        int nulls = v.getNullCount();
        int arr = struct(n, nulls, t.bufferCount(), t.childCount());
        int bufs = take(4 * t.bufferCount());
        mem.putInt(arr + ArrowArrayLayout.BUFFERS, bufs);
        mem.putInt(bufs, validity(v, n));
        switch (t) {
            case BOOL -> mem.putInt(bufs + 4, copy(((BitVector) v).getDataBuffer(), (n + 7) / 8));
            case UTF8, BINARY -> {
                mem.putInt(bufs + 4, offsets(v, n));
                mem.putInt(bufs + 8, copy(v.getDataBuffer(), endOffset(v, n)));
            }
            case LIST_UTF8 -> {
                mem.putInt(bufs + 4, offsets(v, n));
                FieldVector child = ((ListVector) v).getDataVector();
                int children = take(4);
                mem.putInt(arr + ArrowArrayLayout.CHILDREN, children);
                mem.putInt(children, column(ColumnType.UTF8, child, endOffset(v, n)));
            }
            default ->
                    mem.putInt(
                            bufs + 4,
                            copy(((BaseFixedWidthVector) v).getDataBuffer(), n * t.width()));
        }
        return arr;
    }

    private int struct(long length, long nulls, int nBuffers, int nChildren) {
        int p = take(ArrowArrayLayout.SIZE);
        mem.putLong(p + ArrowArrayLayout.LENGTH, length);
        mem.putLong(p + ArrowArrayLayout.NULL_COUNT, nulls);
        mem.putLong(p + ArrowArrayLayout.OFFSET, 0);
        mem.putLong(p + ArrowArrayLayout.N_BUFFERS, nBuffers);
        mem.putLong(p + ArrowArrayLayout.N_CHILDREN, nChildren);
        mem.putInt(p + ArrowArrayLayout.BUFFERS, 0);
        mem.putInt(p + ArrowArrayLayout.CHILDREN, 0);
        mem.putInt(p + ArrowArrayLayout.DICTIONARY, 0);
        mem.putInt(p + ArrowArrayLayout.RELEASE, 0);
        mem.putInt(p + ArrowArrayLayout.PRIVATE_DATA, 0);
        return p;
    }

    private static int validitySize(FieldVector v, int n) {
        return v.getNullCount() > 0 ? align8((n + 7) / 8) : 0;
    }

    private int validity(FieldVector v, int n) {
        return v.getNullCount() > 0 ? copy(v.getValidityBuffer(), (n + 7) / 8) : 0;
    }

    private int offsets(FieldVector v, int n) {
        if (n == 0 || v.getOffsetBuffer().capacity() == 0) {
            int p = take(4);
            mem.putInt(p, 0);
            return p;
        }
        return copy(v.getOffsetBuffer(), 4 * (n + 1));
    }

    private static int endOffset(FieldVector v, int n) {
        if (n == 0 || v.getOffsetBuffer().capacity() == 0) {
            return 0;
        }
        if (v instanceof BaseVariableWidthVector vw) {
            return vw.getOffsetBuffer().getInt(4L * n);
        }
        return v.getOffsetBuffer().getInt(4L * n);
    }

    private int copy(ArrowBuf src, int len) {
        int p = take(len);
        if (len > 0) {
            mem.put(p, src.nioBuffer(0, len), 0, len);
        }
        return p;
    }

    private int take(int len) {
        int p = cursor;
        cursor += align8(len);
        return p;
    }
}
