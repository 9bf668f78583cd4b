package io.ipdm.connectors.files;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a row type: Long INT64, Integer INT32 (Short and Byte as INT32 with an
 * INT(16) / INT(8) annotation), Double DOUBLE, Float FLOAT, Boolean BOOLEAN, String BINARY
 * (STRING), byte[] BINARY, arrays and lists the standard three-level LIST, nested rows groups. Row
 * types carry no nullability, so every column is OPTIONAL; elements of primitive arrays are
 * REQUIRED.
 */
public final class ParquetSchema {
    private ParquetSchema() {}

    /**
     * @throws IllegalArgumentException naming the first field whose type has no Parquet mapping
     */
    public static MessageType of(RowTypeInfo rows) {
        return new MessageType("row", fields(rows, ""));
    }

    private static List<Type> fields(RowTypeInfo rows, String prefix) {
        List<Type> out = new ArrayList<>();
        String[] names = rows.getFieldNames();
        for (int i = 0; i < names.length; i++) {
            out.add(type(rows.getTypeAt(i), names[i], Repetition.OPTIONAL, prefix + names[i]));
        }
        return out;
    }

    static Type type(TypeInformation<?> t, String name, Repetition rep, String path) {
        TypeInformation<?> element = elementType(t);
        if (element != null) {
            Repetition elementRep =
                    t instanceof PrimitiveArrayTypeInfo<?>
                            ? Repetition.REQUIRED
                            : Repetition.OPTIONAL;
            return Types.buildGroup(rep)
                    .as(LogicalTypeAnnotation.listType())
                    .addField(
                            Types.repeatedGroup()
                                    .addField(type(element, "element", elementRep, path + "[]"))
                                    .named("list"))
                    .named(name);
        }
        if (t instanceof RowTypeInfo nested) {
            return new GroupType(rep, name, fields(nested, path + "."));
        }
        Class<?> c = t.getTypeClass();
        if (c == Long.class) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
        } else if (c == Integer.class) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
        } else if (c == Short.class || c == Byte.class) {
            int bits = c == Short.class ? 16 : 8;
            return Types.primitive(PrimitiveTypeName.INT32, rep)
                    .as(LogicalTypeAnnotation.intType(bits, true))
                    .named(name);
        } else if (c == Double.class) {
            return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
        } else if (c == Float.class) {
            return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
        } else if (c == Boolean.class) {
            return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
        } else if (c == String.class) {
            return Types.primitive(PrimitiveTypeName.BINARY, rep)
                    .as(LogicalTypeAnnotation.stringType())
                    .named(name);
        } else if (c == byte[].class) {
            return Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
        }
        throw new IllegalArgumentException(
                "field '"
                        + path
                        + "' has type "
                        + t
                        + ", which Parquet files cannot hold here; supported: Long, Integer,"
                        + " Short, Byte, Double, Float, Boolean, String, byte[], arrays and lists"
                        + " of those, nested rows");
    }

    /** The element type of an array or list type (byte[] is binary, not a list), else null. */
    static TypeInformation<?> elementType(TypeInformation<?> t) {
        if (t instanceof BasicArrayTypeInfo<?, ?> a) {
            return a.getComponentInfo();
        } else if (t instanceof ObjectArrayTypeInfo<?, ?> a) {
            return a.getComponentInfo();
        } else if (t instanceof ListTypeInfo<?> l) {
            return l.getElementTypeInfo();
        } else if (t instanceof PrimitiveArrayTypeInfo<?> p
                && p != PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO) {
            return p.getComponentType(); // long[] -> Long: the boxed type names the column
        }
        return null;
    }
}
