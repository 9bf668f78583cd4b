package io.ipdm.wasm.abi;

import io.ipdm.wasm.AbiViolationException;
import io.ipdm.wasm.WasmInstance;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Copies a batch a module returned (C Data Interface layout in its linear memory) into Arrow
 * vectors, checking everything first: the guest is untrusted, so a wrong column count, buffer
 * count, length, pointer or offset becomes an {@link AbiViolationException} naming the column.
 */
public final class BatchReader {
    private ByteBuffer mem;
    private String where;

    /**
     * Reads the batch at {@code ptr} into {@code out} (whose vectors follow {@code schema}) and
     * returns its row count.
     */
    public int read(WasmInstance instance, int ptr, BatchSchema schema, VectorSchemaRoot out) {
        mem = instance.memory();
        where = instance.where();
        checkStruct("the output batch", ptr, 1, schema.size());
        long length = mem.getLong(ptr + ArrowArrayLayout.LENGTH);
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw violation("returned a batch of length " + length);
        }
        int n = (int) length;
        int children =
                pointer(
                        "the output batch children",
                        ptr + ArrowArrayLayout.CHILDREN,
                        4L * schema.size());
        for (int c = 0; c < schema.size(); c++) {
            Column col = schema.column(c);
            int arr = mem.getInt(children + 4 * c);
            readColumn(
                    "column '" + col.name() + "' (" + col.type() + ")",
                    col,
                    arr,
                    n,
                    out.getVector(c));
        }
        out.setRowCount(n);
        mem = null;
        return n;
    }

    private void readColumn(String what, Column col, int arr, int n, FieldVector v) {
        ColumnType t = col.type();
        checkStruct(what, arr, t.bufferCount(), t.childCount());
        long len = mem.getLong(arr + ArrowArrayLayout.LENGTH);
        if (len != n) {
            throw violation(
                    "returned " + what + " with length " + len + " in a batch of " + n + " rows");
        }
        int bufs = pointer(what + " buffers", arr + ArrowArrayLayout.BUFFERS, 4L * t.bufferCount());
        int validity = mem.getInt(bufs);
        if (validity != 0 && !col.nullable()) {
            checkNoNulls(what, validity, n);
        }
        v.clear();
        switch (t) {
            case UTF8, BINARY -> {
                int[] range = offsets(what, mem.getInt(bufs + 4), n);
                int data = pointer(what + " data", bufs + 8, range[1]);
                BaseVariableWidthVector vw = (BaseVariableWidthVector) v;
                vw.allocateNew(Math.max(range[1], 1), Math.max(n, 1));
                fillValidity(v, validity, n, what);
                copy(vw.getOffsetBuffer(), mem.getInt(bufs + 4), 4 * (n + 1));
                copy(vw.getDataBuffer(), data, range[1]);
                vw.setLastSet(n - 1);
            }
            case LIST_UTF8 -> {
                int[] range = offsets(what, mem.getInt(bufs + 4), n);
                int children = pointer(what + " children", arr + ArrowArrayLayout.CHILDREN, 4);
                ListVector lv = (ListVector) v;
                lv.setInitialCapacity(Math.max(n, 1));
                lv.allocateNew();
                while (lv.getValueCapacity() < n) {
                    lv.reAlloc();
                }
                fillValidity(v, validity, n, what);
                copy(lv.getOffsetBuffer(), mem.getInt(bufs + 4), 4 * (n + 1));
                Column item = new Column(col.name() + ".item", ColumnType.UTF8, true);
                readColumn(
                        what + " items", item, mem.getInt(children), range[1], lv.getDataVector());
                lv.setLastSet(n - 1);
            }
            case BOOL -> {
                int data = pointer(what + " values", bufs + 4, (n + 7) / 8);
                ((BaseFixedWidthVector) v).allocateNew(Math.max(n, 1));
                fillValidity(v, validity, n, what);
                copy(((BaseFixedWidthVector) v).getDataBuffer(), data, (n + 7) / 8);
            }
            default -> {
                int data = pointer(what + " values", bufs + 4, (long) n * t.width());
                ((BaseFixedWidthVector) v).allocateNew(Math.max(n, 1));
                fillValidity(v, validity, n, what);
                copy(((BaseFixedWidthVector) v).getDataBuffer(), data, n * t.width());
                if (t == ColumnType.FLOAT64) {
                    canonicalizeNaNs(((BaseFixedWidthVector) v).getDataBuffer(), n);
                }
            }
        }
        v.setValueCount(n);
    }

    /** The one NaN a module's float64 output may hold (the quiet NaN, no payload, no sign). */
    public static final long CANONICAL_NAN = 0x7ff8000000000000L;

    /**
     * NaN payloads and signs depend on the CPU and the JIT (IEEE 754 leaves them open), so two
     * nodes may compute different NaN bits from the same input; like The Graph's canonicalized
     * wasmtime, every NaN a module returns becomes {@link #CANONICAL_NAN}, so output bytes (and
     * window roots) agree. NaN bits a module hides in integers are its own (docs/wasm-abi.md).
     */
    private static void canonicalizeNaNs(ArrowBuf values, int n) {
        for (int i = 0; i < n; i++) {
            long bits = values.getLong(8L * i);
            if ((bits & 0x7ff0000000000000L) == 0x7ff0000000000000L
                    && (bits & 0x000fffffffffffffL) != 0
                    && bits != CANONICAL_NAN) {
                values.setLong(8L * i, CANONICAL_NAN);
            }
        }
    }

    private void checkStruct(String what, int p, int nBuffers, int nChildren) {
        if (p <= 0 || (long) p + ArrowArrayLayout.SIZE > mem.capacity()) {
            throw violation("returned " + what + " at pointer " + p + ", outside its memory");
        }
        long nb = mem.getLong(p + ArrowArrayLayout.N_BUFFERS);
        long nc = mem.getLong(p + ArrowArrayLayout.N_CHILDREN);
        long off = mem.getLong(p + ArrowArrayLayout.OFFSET);
        if (nb != nBuffers || nc != nChildren) {
            throw violation(
                    "returned "
                            + what
                            + " with "
                            + nb
                            + " buffers and "
                            + nc
                            + " children; the declared schema needs "
                            + nBuffers
                            + " and "
                            + nChildren
                            + " (does the module's output match its descriptor?)");
        }
        if (off != 0) {
            throw violation("returned " + what + " with offset " + off + "; ABI v1 needs offset 0");
        }
        if (mem.getInt(p + ArrowArrayLayout.DICTIONARY) != 0) {
            throw violation("returned " + what + " with a dictionary; ABI v1 has none");
        }
    }

    /**
     * Reads the pointer stored at {@code at} and checks {@code len} bytes from it fit in memory.
     */
    private int pointer(String what, int at, long len) {
        int p = mem.getInt(at);
        if (len > 0 && (p <= 0 || p + len > mem.capacity())) {
            throw violation(
                    "returned "
                            + what
                            + " at pointer "
                            + p
                            + " (+"
                            + len
                            + " bytes), outside its memory");
        }
        return p;
    }

    /** Checks an offsets buffer (n + 1 ints, from 0, non-decreasing); returns {first, last}. */
    private int[] offsets(String what, int p, int n) {
        if (p <= 0 || p + 4L * (n + 1) > mem.capacity()) {
            throw violation(
                    "returned " + what + " offsets at pointer " + p + ", outside its memory");
        }
        int prev = mem.getInt(p);
        if (prev != 0) {
            throw violation(
                    "returned " + what + " offsets starting at " + prev + "; ABI v1 starts at 0");
        }
        for (int i = 1; i <= n; i++) {
            int o = mem.getInt(p + 4 * i);
            if (o < prev) {
                throw violation(
                        "returned "
                                + what
                                + " offsets decreasing at row "
                                + (i - 1)
                                + " ("
                                + prev
                                + " then "
                                + o
                                + ")");
            }
            prev = o;
        }
        return new int[] {0, prev};
    }

    private void fillValidity(FieldVector v, int validity, int n, String what) {
        int bytes = (n + 7) / 8;
        if (validity == 0) {
            v.getValidityBuffer().setOne(0, bytes);
        } else {
            if ((long) validity + bytes > mem.capacity()) {
                throw violation("returned " + what + " validity outside its memory");
            }
            copy(v.getValidityBuffer(), validity, bytes);
        }
    }

    private void checkNoNulls(String what, int validity, int n) {
        if ((long) validity + (n + 7) / 8 > mem.capacity()) {
            throw violation("returned " + what + " validity outside its memory");
        }
        for (int i = 0; i < n; i++) {
            if ((mem.get(validity + (i >> 3)) & (1 << (i & 7))) == 0) {
                throw violation(
                        "returned a null in " + what + " at row " + i + ", declared not null");
            }
        }
    }

    private void copy(ArrowBuf dst, int src, int len) {
        if (len > 0) {
            dst.setBytes(0, mem.slice(src, len));
        }
    }

    private AbiViolationException violation(String what) {
        return new AbiViolationException(where + " " + what);
    }
}
