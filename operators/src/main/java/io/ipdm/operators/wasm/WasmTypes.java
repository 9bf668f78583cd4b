package io.ipdm.operators.wasm;

import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * Which Flink field types feed which ABI column types, resolved once when a job is built. int32:
 * INT; int64 and uint64: LONG; float64: DOUBLE; bool: BOOLEAN; utf8: STRING; binary and
 * fixed_size_binary(32): byte[]; timestamp: INSTANT (or LONG epoch milliseconds on input);
 * list&lt;utf8&gt;: LIST(STRING) (or String[] on input).
 */
public final class WasmTypes {
    private WasmTypes() {}

    /** The Flink type of a module output column. */
    public static TypeInformation<?> flinkType(ColumnType t) {
        return switch (t) {
            case INT32 -> Types.INT;
            case INT64, UINT64 -> Types.LONG;
            case FLOAT64 -> Types.DOUBLE;
            case BOOL -> Types.BOOLEAN;
            case UTF8 -> Types.STRING;
            case BINARY, FIXED_BINARY_32 -> Types.PRIMITIVE_ARRAY(Types.BYTE);
            case TIMESTAMP -> Types.INSTANT;
            case LIST_UTF8 -> Types.LIST(Types.STRING);
        };
    }

    /** A row type for a batch schema (field names = column names). */
    public static RowTypeInfo rowType(BatchSchema schema) {
        TypeInformation<?>[] types = new TypeInformation<?>[schema.size()];
        String[] names = new String[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            types[i] = flinkType(schema.column(i).type());
            names[i] = schema.column(i).name();
        }
        return new RowTypeInfo(types, names);
    }

    /**
     * For each input column of a module function, the position of the row field with its name.
     *
     * @throws IllegalArgumentException naming the column, the module and the available fields, when
     *     a field is missing or has a type the column cannot take
     */
    public static int[] inputFields(RowTypeInfo in, BatchSchema schema, String what) {
        return inputFields(in, schema, Map.of(), what);
    }

    /**
     * As {@link #inputFields(RowTypeInfo, BatchSchema, String)}, with some columns read from fields
     * of other names ({@code fields}: column name -> field name).
     */
    public static int[] inputFields(
            RowTypeInfo in, BatchSchema schema, Map<String, String> fields, String what) {
        int[] idx = new int[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.column(i);
            String field = fields.getOrDefault(c.name(), c.name());
            int f = in.getFieldIndex(field);
            if (f < 0) {
                throw new IllegalArgumentException(
                        what
                                + " reads column '"
                                + c.name()
                                + "' ("
                                + c.type()
                                + ") but the input rows have "
                                + (field.equals(c.name())
                                        ? "no such field"
                                        : "no field '" + field + "'")
                                + "; fields: "
                                + Arrays.toString(in.getFieldNames()));
            }
            TypeInformation<?> t = in.getTypeAt(f);
            if (!accepts(c.type(), t)) {
                throw new IllegalArgumentException(
                        what
                                + " reads column '"
                                + c.name()
                                + "' as "
                                + c.type()
                                + " but the input field "
                                + (field.equals(c.name()) ? "" : "'" + field + "' ")
                                + "has type "
                                + t
                                + "; a "
                                + c.type()
                                + " column takes "
                                + flinkType(c.type()));
            }
            idx[i] = f;
        }
        return idx;
    }

    /**
     * The ABI column type that carries a row field of type {@code t} into a module (the one {@link
     * #accepts} takes first), or null when none does: what {@code ipdm wasm init} declares.
     */
    public static ColumnType columnType(TypeInformation<?> t) {
        for (ColumnType c :
                List.of(
                        ColumnType.INT32,
                        ColumnType.INT64,
                        ColumnType.FLOAT64,
                        ColumnType.BOOL,
                        ColumnType.UTF8,
                        ColumnType.BINARY,
                        ColumnType.TIMESTAMP,
                        ColumnType.LIST_UTF8)) {
            if (accepts(c, t) && (c != ColumnType.TIMESTAMP || !t.equals(Types.LONG))) {
                return c;
            }
        }
        return null;
    }

    static boolean accepts(ColumnType c, TypeInformation<?> t) {
        if (t.equals(flinkType(c))) {
            return true;
        }
        return switch (c) {
            case TIMESTAMP -> t.equals(Types.LONG);
            case LIST_UTF8 ->
                    t.equals(BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO)
                            || (t instanceof ListTypeInfo<?> l
                                    && l.getElementTypeInfo().equals(Types.STRING));
            case BINARY, FIXED_BINARY_32 ->
                    t.equals(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            default -> false;
        };
    }
}
