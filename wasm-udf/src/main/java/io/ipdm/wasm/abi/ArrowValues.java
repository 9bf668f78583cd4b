package io.ipdm.wasm.abi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Java values of each {@link ColumnType}, written to and read from Arrow vectors one at a time:
 * int32 Integer, int64 and uint64 Long, float64 Double, bool Boolean, utf8 String, binary and
 * fixed_size_binary(32) byte[], timestamp {@link Instant} (a Long is read as epoch milliseconds),
 * list&lt;utf8&gt; {@code List<String>}; null is null.
 */
public final class ArrowValues {
    private ArrowValues() {}

    /** Writes {@code value} at {@code row} (growing the vector if needed). */
    public static void set(FieldVector v, ColumnType t, int row, Object value) {
        if (value == null) {
            v.setNull(row);
            return;
        }
        try {
            switch (t) {
                case INT32 -> ((IntVector) v).setSafe(row, (Integer) value);
                case INT64 -> ((BigIntVector) v).setSafe(row, (Long) value);
                case UINT64 -> ((UInt8Vector) v).setSafe(row, (Long) value);
                case FLOAT64 -> ((Float8Vector) v).setSafe(row, (Double) value);
                case BOOL -> ((BitVector) v).setSafe(row, (Boolean) value ? 1 : 0);
                case UTF8 ->
                        ((VarCharVector) v)
                                .setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
                case BINARY -> ((VarBinaryVector) v).setSafe(row, (byte[]) value);
                case FIXED_BINARY_32 -> {
                    byte[] b = (byte[]) value;
                    if (b.length != 32) {
                        throw new IllegalArgumentException(
                                "a fixed_size_binary(32) value has 32 bytes, got " + b.length);
                    }
                    ((FixedSizeBinaryVector) v).setSafe(row, b);
                }
                case TIMESTAMP ->
                        ((TimeStampMilliVector) v)
                                .setSafe(
                                        row,
                                        value instanceof Instant i
                                                ? i.toEpochMilli()
                                                : (Long) value);
                case LIST_UTF8 -> {
                    ListVector lv = (ListVector) v;
                    VarCharVector items = (VarCharVector) lv.getDataVector();
                    List<?> list = (List<?>) value;
                    int start = lv.startNewValue(row);
                    for (int k = 0; k < list.size(); k++) {
                        Object item = list.get(k);
                        if (item == null) {
                            items.setNull(start + k);
                        } else {
                            items.setSafe(
                                    start + k, ((String) item).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    lv.endValue(row, list.size());
                }
            }
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    "a "
                            + t
                            + " column cannot hold a "
                            + value.getClass().getSimpleName()
                            + " ("
                            + value
                            + ")",
                    e);
        }
    }

    /** Reads the value at {@code row}. */
    public static Object get(FieldVector v, ColumnType t, int row) {
        if (v.isNull(row)) {
            return null;
        }
        return switch (t) {
            case INT32 -> ((IntVector) v).get(row);
            case INT64 -> ((BigIntVector) v).get(row);
            case UINT64 -> ((UInt8Vector) v).get(row);
            case FLOAT64 -> ((Float8Vector) v).get(row);
            case BOOL -> ((BitVector) v).get(row) != 0;
            case UTF8 -> new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
            case BINARY -> ((VarBinaryVector) v).get(row);
            case FIXED_BINARY_32 -> ((FixedSizeBinaryVector) v).get(row);
            case TIMESTAMP -> Instant.ofEpochMilli(((TimeStampMilliVector) v).get(row));
            case LIST_UTF8 -> {
                ListVector lv = (ListVector) v;
                VarCharVector items = (VarCharVector) lv.getDataVector();
                int start = lv.getElementStartIndex(row);
                int end = lv.getElementEndIndex(row);
                List<String> out = new ArrayList<>(end - start);
                for (int k = start; k < end; k++) {
                    out.add(
                            items.isNull(k)
                                    ? null
                                    : new String(items.get(k), StandardCharsets.UTF_8));
                }
                yield out;
            }
        };
    }
}
