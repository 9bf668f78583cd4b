package io.ipdm.operators.wasm;

import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.flink.types.Row;

/**
 * Column-at-a-time copies between row fields and Arrow vectors, with the column type resolved once
 * per batch instead of per value ({@link ArrowValues} is the per-value path): fixed-width columns
 * are sized once and written with unchecked {@code set}, strings are read straight from the offsets
 * and data buffers, and {@code String[]} lists are written without a {@code List} wrapper. The row
 * side is Flink's boxed {@code Row}; no further boxing happens here.
 */
public final class RowColumns {
    private RowColumns() {}

    /** Writes field {@code field} of {@code rows[0..n)} into {@code v} (already reset). */
    public static void write(ColumnType t, Row[] rows, int n, int field, FieldVector v) {
        switch (t) {
            case INT32 -> {
                IntVector iv = (IntVector) v;
                ensure(iv, n);
                for (int i = 0; i < n; i++) {
                    Object o = rows[i].getField(field);
                    if (o == null) {
                        iv.setNull(i);
                    } else {
                        iv.set(i, (Integer) o);
                    }
                }
            }
            case INT64 -> {
                BigIntVector lv = (BigIntVector) v;
                ensure(lv, n);
                for (int i = 0; i < n; i++) {
                    Object o = rows[i].getField(field);
                    if (o == null) {
                        lv.setNull(i);
                    } else {
                        lv.set(i, (Long) o);
                    }
                }
            }
            case FLOAT64 -> {
                Float8Vector dv = (Float8Vector) v;
                ensure(dv, n);
                for (int i = 0; i < n; i++) {
                    Object o = rows[i].getField(field);
                    if (o == null) {
                        dv.setNull(i);
                    } else {
                        dv.set(i, (Double) o);
                    }
                }
            }
            case BOOL -> {
                BitVector bv = (BitVector) v;
                ensure(bv, n);
                for (int i = 0; i < n; i++) {
                    Object o = rows[i].getField(field);
                    if (o == null) {
                        bv.setNull(i);
                    } else {
                        bv.set(i, (Boolean) o ? 1 : 0);
                    }
                }
            }
            case UTF8 -> {
                VarCharVector sv = (VarCharVector) v;
                for (int i = 0; i < n; i++) {
                    Object o = rows[i].getField(field);
                    if (o == null) {
                        sv.setNull(i);
                    } else {
                        sv.setSafe(i, ((String) o).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            case LIST_UTF8 -> writeLists((ListVector) v, rows, n, field);
            default -> {
                for (int i = 0; i < n; i++) {
                    ArrowValues.set(v, t, i, rows[i].getField(field));
                }
            }
        }
    }

    private static void ensure(BaseFixedWidthVector v, int n) {
        while (v.getValueCapacity() < n) {
            v.reAlloc();
        }
    }

    private static void writeLists(ListVector lv, Row[] rows, int n, int field) {
        VarCharVector items = (VarCharVector) lv.getDataVector();
        for (int i = 0; i < n; i++) {
            Object o = rows[i].getField(field);
            if (o == null) {
                lv.setNull(i);
                continue;
            }
            int start = lv.startNewValue(i);
            int k = 0;
            if (o instanceof String[] a) {
                for (; k < a.length; k++) {
                    item(items, start + k, a[k]);
                }
            } else {
                for (Object s : (List<?>) o) {
                    item(items, start + k++, (String) s);
                }
            }
            lv.endValue(i, k);
        }
    }

    private static void item(VarCharVector items, int at, String s) {
        if (s == null) {
            items.setNull(at);
        } else {
            items.setSafe(at, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads rows {@code [0..n)} of {@code v} into field {@code field} of {@code rows}. */
    public static void read(ColumnType t, FieldVector v, int n, Row[] rows, int field) {
        switch (t) {
            case INT32 -> {
                IntVector iv = (IntVector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, iv.isNull(i) ? null : iv.get(i));
                }
            }
            case INT64 -> {
                BigIntVector lv = (BigIntVector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, lv.isNull(i) ? null : lv.get(i));
                }
            }
            case UINT64 -> {
                UInt8Vector lv = (UInt8Vector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, lv.isNull(i) ? null : lv.get(i));
                }
            }
            case FLOAT64 -> {
                Float8Vector dv = (Float8Vector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, dv.isNull(i) ? null : dv.get(i));
                }
            }
            case BOOL -> {
                BitVector bv = (BitVector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, bv.isNull(i) ? null : bv.get(i) != 0);
                }
            }
            case UTF8 -> {
                VarCharVector sv = (VarCharVector) v;
                ArrowBuf offsets = sv.getOffsetBuffer();
                ArrowBuf data = sv.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    if (sv.isNull(i)) {
                        rows[i].setField(field, null);
                        continue;
                    }
                    int s = offsets.getInt((long) i * 4);
                    byte[] b = new byte[offsets.getInt((long) (i + 1) * 4) - s];
                    data.getBytes(s, b);
                    rows[i].setField(field, new String(b, StandardCharsets.UTF_8));
                }
            }
            case TIMESTAMP -> {
                TimeStampMilliVector tv = (TimeStampMilliVector) v;
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, tv.isNull(i) ? null : Instant.ofEpochMilli(tv.get(i)));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    rows[i].setField(field, ArrowValues.get(v, t, i));
                }
            }
        }
    }
}
