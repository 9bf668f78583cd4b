package io.ipdm.operators.expr;

import java.io.Serial;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Emits one row per element of an array (or list) field, with the array replaced by the element
 * under a new name at the same position; all other fields are copied, or only those asked for (a
 * compiler that knows what later stages read keeps the exploded rows narrow). This is how to group
 * by an array such as {@code program_ids}: explode it to {@code program_id}, then key by that
 * field. A row whose array is null or empty produces no row. With {@code distinct}, an element
 * repeated inside one row's array is emitted once (a transaction that calls a program twice counts
 * once).
 */
public final class RowExplode implements FlatMapFunction<Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final int position;
    private final boolean distinct;
    private final RowTypeInfo outputType;
    // Per output field: its input position, or -1 for the element.
    private final int[] sources;

    private RowExplode(int position, boolean distinct, RowTypeInfo outputType, int[] sources) {
        this.position = position;
        this.distinct = distinct;
        this.outputType = outputType;
        this.sources = sources;
    }

    /**
     * @param arrayField the array or list field to explode
     * @param elementField the name of the element field in the output (may equal {@code
     *     arrayField})
     * @throws IllegalArgumentException for an unknown field, a field that is not an array, or an
     *     element name that clashes with another field
     */
    public static RowExplode of(
            RowTypeInfo inputType, String arrayField, String elementField, boolean distinct) {
        return of(inputType, arrayField, elementField, distinct, null);
    }

    /**
     * Like {@link #of(RowTypeInfo, String, String, boolean)}, with output fields limited to {@code
     * keep} (output names, in input order; null for all). The element is emitted even when it is
     * not kept, so that counts stay right; when nothing would be kept, the element is.
     */
    public static RowExplode of(
            RowTypeInfo inputType,
            String arrayField,
            String elementField,
            boolean distinct,
            Set<String> keep) {
        int pos = inputType.getFieldIndex(arrayField);
        if (pos < 0) {
            throw new IllegalArgumentException(
                    "explode: unknown field '"
                            + arrayField
                            + "'; known fields: "
                            + String.join(", ", inputType.getFieldNames()));
        }
        TypeInformation<?> elemType = elementType(inputType.getTypeAt(pos));
        if (elemType == null) {
            throw new IllegalArgumentException(
                    "explode: field '"
                            + arrayField
                            + "' has type "
                            + inputType.getTypeAt(pos)
                            + ", not an array or list");
        }
        if (elementField == null || !elementField.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "explode: element field name '"
                            + elementField
                            + "' is not valid (use snake_case)");
        }
        String[] names = inputType.getFieldNames().clone();
        TypeInformation<?>[] types = inputType.getFieldTypes().clone();
        for (int i = 0; i < names.length; i++) {
            if (i != pos && names[i].equals(elementField)) {
                throw new IllegalArgumentException(
                        "explode: element field '"
                                + elementField
                                + "' is already a field of the input");
            }
        }
        names[pos] = elementField;
        types[pos] = elemType;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (keep == null || keep.contains(names[i])) {
                kept.add(i);
            }
        }
        if (kept.isEmpty()) {
            kept.add(pos);
        }
        String[] outNames = new String[kept.size()];
        TypeInformation<?>[] outTypes = new TypeInformation<?>[kept.size()];
        int[] sources = new int[kept.size()];
        for (int i = 0; i < sources.length; i++) {
            int in = kept.get(i);
            outNames[i] = names[in];
            outTypes[i] = types[in];
            sources[i] = in == pos ? -1 : in;
        }
        return new RowExplode(pos, distinct, new RowTypeInfo(outTypes, outNames), sources);
    }

    private static TypeInformation<?> elementType(TypeInformation<?> t) {
        if (t instanceof BasicArrayTypeInfo<?, ?> a) {
            return a.getComponentInfo();
        }
        if (t instanceof PrimitiveArrayTypeInfo<?> p) {
            Class<?> c = p.getComponentClass();
            if (c == long.class) {
                return BasicTypeInfo.LONG_TYPE_INFO;
            }
            if (c == int.class) {
                return BasicTypeInfo.INT_TYPE_INFO;
            }
            if (c == double.class) {
                return BasicTypeInfo.DOUBLE_TYPE_INFO;
            }
            return null; // byte[] is a value, not a list
        }
        if (t instanceof ListTypeInfo<?> l) {
            return l.getElementTypeInfo();
        }
        if (t instanceof ObjectArrayTypeInfo<?, ?> o) {
            return o.getComponentInfo();
        }
        return null;
    }

    /** The schema of the exploded rows. */
    public RowTypeInfo outputType() {
        return outputType;
    }

    @Override
    public void flatMap(Row in, Collector<Row> out) {
        Object arr = in.getField(position);
        if (arr == null) {
            return;
        }
        List<?> elems = arr instanceof List<?> l ? l : asList(arr);
        Set<Object> seen = distinct && elems.size() > 1 ? new HashSet<>() : null;
        for (Object e : elems) {
            if (e == null || (seen != null && !seen.add(e))) {
                continue;
            }
            Row r = new Row(in.getKind(), sources.length);
            for (int i = 0; i < sources.length; i++) {
                r.setField(i, sources[i] < 0 ? e : in.getField(sources[i]));
            }
            out.collect(r);
        }
    }

    private static List<?> asList(Object arr) {
        if (arr instanceof Object[] o) {
            return Arrays.asList(o);
        }
        int n = Array.getLength(arr);
        Object[] boxed = new Object[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = Array.get(arr, i);
        }
        return Arrays.asList(boxed);
    }
}
