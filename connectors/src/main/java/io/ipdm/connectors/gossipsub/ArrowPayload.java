package io.ipdm.connectors.gossipsub;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.types.Row;

/**
 * Arrow IPC stream payloads: a schema message and one record batch per gossipsub message, the
 * schema derived from the row type (STRING → Utf8, LONG → Int64, INT → Int32, DOUBLE → Float64,
 * BOOLEAN → Bool, bytes → Binary; all nullable).
 */
public final class ArrowPayload {
    /** Shared by all subtasks of a JVM; payloads are at most a few MiB. */
    private static final BufferAllocator ALLOCATOR = new RootAllocator(256L << 20);

    private ArrowPayload() {}

    /** The Arrow type for a row field, or null when the field's type has no mapping. */
    static ArrowType arrowType(TypeInformation<?> t) {
        if (t.equals(BasicTypeInfo.STRING_TYPE_INFO)) {
            return ArrowType.Utf8.INSTANCE;
        }
        if (t.equals(BasicTypeInfo.LONG_TYPE_INFO)) {
            return new ArrowType.Int(64, true);
        }
        if (t.equals(BasicTypeInfo.INT_TYPE_INFO)) {
            return new ArrowType.Int(32, true);
        }
        if (t.equals(BasicTypeInfo.DOUBLE_TYPE_INFO)) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        }
        if (t.equals(BasicTypeInfo.BOOLEAN_TYPE_INFO)) {
            return ArrowType.Bool.INSTANCE;
        }
        if (t.equals(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return ArrowType.Binary.INSTANCE;
        }
        return null;
    }

    /**
     * The Arrow schema for rows of these fields.
     *
     * @throws IllegalArgumentException naming a field whose type has no Arrow mapping
     */
    public static Schema schema(String[] names, TypeInformation<?>[] types) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            ArrowType a = arrowType(types[i]);
            if (a == null) {
                throw new IllegalArgumentException(
                        "gossipsub: field '"
                                + names[i]
                                + "' has type "
                                + types[i]
                                + "; Arrow payload fields may be STRING, LONG, INT, DOUBLE, BOOLEAN"
                                + " or bytes");
            }
            fields.add(new Field(names[i], FieldType.nullable(a), null));
        }
        return new Schema(fields);
    }

    /**
     * One IPC stream holding {@code rows} (positional, of the given fields) as one record batch.
     */
    public static byte[] encode(String[] names, TypeInformation<?>[] types, List<Row> rows) {
        Schema schema = schema(names, types);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, ALLOCATOR);
                ArrowStreamWriter w = new ArrowStreamWriter(root, null, out)) {
            root.allocateNew();
            for (int c = 0; c < names.length; c++) {
                FieldVector v = root.getVector(c);
                for (int r = 0; r < rows.size(); r++) {
                    set(v, r, rows.get(r).getField(c));
                }
                v.setValueCount(rows.size());
            }
            root.setRowCount(rows.size());
            w.start();
            w.writeBatch();
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void set(FieldVector v, int i, Object value) {
        if (value == null) {
            v.setNull(i);
            return;
        }
        switch (v) {
            case VarCharVector s -> s.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
            case BigIntVector l -> l.setSafe(i, (Long) value);
            case IntVector n -> n.setSafe(i, (Integer) value);
            case Float8Vector d -> d.setSafe(i, (Double) value);
            case BitVector b -> b.setSafe(i, (Boolean) value ? 1 : 0);
            case VarBinaryVector b -> b.setSafe(i, (byte[]) value);
            default -> throw new IllegalStateException("unmapped vector " + v.getField());
        }
    }

    /**
     * The rows of every record batch in an IPC stream, with the declared fields picked by name (a
     * field the stream lacks is null).
     *
     * @throws IllegalArgumentException when the payload is not an Arrow IPC stream or a field has
     *     another type than declared
     */
    public static List<Row> decode(byte[] payload, String[] names, TypeInformation<?>[] types) {
        List<Row> rows = new ArrayList<>();
        try (ArrowStreamReader reader =
                new ArrowStreamReader(new ByteArrayInputStream(payload), ALLOCATOR)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            FieldVector[] columns = new FieldVector[names.length];
            for (int c = 0; c < names.length; c++) {
                Field f = field(root.getSchema(), names[c]);
                if (f == null) {
                    continue;
                }
                ArrowType want = arrowType(types[c]);
                if (!f.getType().equals(want)) {
                    throw new TypeMismatch(
                            "field '"
                                    + names[c]
                                    + "' should be "
                                    + want
                                    + " but is "
                                    + f.getType());
                }
                columns[c] = root.getVector(f.getName());
            }
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    Row row = new Row(names.length);
                    for (int c = 0; c < names.length; c++) {
                        if (columns[c] != null) {
                            Object v = columns[c].getObject(r);
                            row.setField(c, v instanceof Text t ? t.toString() : v);
                        }
                    }
                    rows.add(row);
                }
            }
        } catch (TypeMismatch e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Arrow's reader throws many kinds of exception for malformed input.
            throw new IllegalArgumentException(
                    "payload is not an Arrow IPC stream: " + e.getMessage());
        }
        return rows;
    }

    private static Field field(Schema schema, String name) {
        for (Field f : schema.getFields()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static final class TypeMismatch extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TypeMismatch(String message) {
            super(message);
        }
    }
}
