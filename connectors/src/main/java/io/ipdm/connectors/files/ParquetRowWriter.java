package io.ipdm.connectors.files;

import java.lang.reflect.Array;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes one value of a known Flink type to a Parquet {@link RecordConsumer}, following the shape
 * {@link ParquetSchema} gives that type. Built once per writer, so the type dispatch is not per
 * row.
 */
@FunctionalInterface
interface ParquetRowWriter {
    void write(RecordConsumer rc, Object value);

    /** Writes every non-null field of a row type; null fields are left out (OPTIONAL). */
    static ParquetRowWriter row(RowTypeInfo type) {
        String[] names = type.getFieldNames();
        ParquetRowWriter[] fields = new ParquetRowWriter[names.length];
        for (int i = 0; i < names.length; i++) {
            fields[i] = of(type.getTypeAt(i));
        }
        return (rc, value) -> {
            Row row = (Row) value;
            for (int i = 0; i < fields.length; i++) {
                Object v = row.getField(i);
                if (v != null) {
                    rc.startField(names[i], i);
                    fields[i].write(rc, v);
                    rc.endField(names[i], i);
                }
            }
        };
    }

    static ParquetRowWriter of(TypeInformation<?> t) {
        TypeInformation<?> element = ParquetSchema.elementType(t);
        if (element != null) {
            return list(of(element));
        }
        if (t instanceof RowTypeInfo nested) {
            ParquetRowWriter fields = row(nested);
            return (rc, v) -> {
                rc.startGroup();
                fields.write(rc, v);
                rc.endGroup();
            };
        }
        Class<?> c = t.getTypeClass();
        if (c == Long.class) {
            return (rc, v) -> rc.addLong((Long) v);
        } else if (c == Integer.class || c == Short.class || c == Byte.class) {
            return (rc, v) -> rc.addInteger(((Number) v).intValue());
        } else if (c == Double.class) {
            return (rc, v) -> rc.addDouble((Double) v);
        } else if (c == Float.class) {
            return (rc, v) -> rc.addFloat((Float) v);
        } else if (c == Boolean.class) {
            return (rc, v) -> rc.addBoolean((Boolean) v);
        } else if (c == String.class) {
            return (rc, v) -> rc.addBinary(Binary.fromString((String) v));
        } else if (c == byte[].class) {
            return (rc, v) -> rc.addBinary(Binary.fromConstantByteArray((byte[]) v));
        }
        // ParquetSchema.of rejects the type first, with the field's name.
        throw new IllegalArgumentException("no Parquet writer for " + t);
    }

    /** The three-level LIST: group { repeated group list { element } }. */
    private static ParquetRowWriter list(ParquetRowWriter element) {
        return (rc, v) -> {
            rc.startGroup();
            int n = v instanceof List<?> l ? l.size() : Array.getLength(v);
            if (n > 0) {
                rc.startField("list", 0);
                for (int i = 0; i < n; i++) {
                    Object e = v instanceof List<?> l ? l.get(i) : Array.get(v, i);
                    rc.startGroup();
                    if (e != null) {
                        rc.startField("element", 0);
                        element.write(rc, e);
                        rc.endField("element", 0);
                    }
                    rc.endGroup();
                }
                rc.endField("list", 0);
            }
            rc.endGroup();
        };
    }
}
