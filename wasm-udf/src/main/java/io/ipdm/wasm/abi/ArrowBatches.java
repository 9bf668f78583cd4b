package io.ipdm.wasm.abi;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow (Java) form of ABI schemas: which vector holds which {@link ColumnType}. */
public final class ArrowBatches {
    private ArrowBatches() {}

    public static Schema toArrow(BatchSchema schema) {
        List<Field> fields = new ArrayList<>();
        for (Column c : schema.columns()) {
            fields.add(field(c));
        }
        return new Schema(fields);
    }

    /** A new, empty root for this schema; the caller closes it. */
    public static VectorSchemaRoot createRoot(BatchSchema schema, BufferAllocator allocator) {
        return VectorSchemaRoot.create(toArrow(schema), allocator);
    }

    static Field field(Column c) {
        FieldType ft = new FieldType(c.nullable(), arrowType(c.type()), null);
        if (c.type() == ColumnType.LIST_UTF8) {
            Field item = new Field("item", FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
            return new Field(c.name(), ft, List.of(item));
        }
        return new Field(c.name(), ft, null);
    }

    static ArrowType arrowType(ColumnType t) {
        return switch (t) {
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case UINT64 -> new ArrowType.Int(64, false);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOL -> ArrowType.Bool.INSTANCE;
            case UTF8 -> ArrowType.Utf8.INSTANCE;
            case BINARY -> ArrowType.Binary.INSTANCE;
            case FIXED_BINARY_32 -> new ArrowType.FixedSizeBinary(32);
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
            case LIST_UTF8 -> ArrowType.List.INSTANCE;
        };
    }
}
