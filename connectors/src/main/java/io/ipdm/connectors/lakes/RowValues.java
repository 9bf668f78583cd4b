package io.ipdm.connectors.lakes;

import io.ipdm.lakes.LakesException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** Flink row values <-> IPLD data model values (dag-cbor kinds), by the row type. */
final class RowValues {
    private RowValues() {}

    static List<Object> toIpld(Row row, RowTypeInfo type) {
        List<Object> out = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
            out.add(value(row.getField(i), type.getFieldNames()[i]));
        }
        return out;
    }

    /** A field's value; lists, maps, arrays and nested rows (aggregates such as top_k) too. */
    private static Object value(Object v, String field) {
        return switch (v) {
            case null -> null;
            case Integer n -> n.longValue();
            case Short n -> n.longValue();
            case Byte n -> n.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.toPlainString();
            case Long n -> n;
            case Double d -> d;
            case String s -> s;
            case Boolean b -> b;
            case byte[] b -> b;
            case List<?> l -> {
                List<Object> items = new ArrayList<>(l.size());
                for (Object x : l) {
                    items.add(value(x, field));
                }
                yield items;
            }
            case Object[] a -> value(java.util.Arrays.asList(a), field);
            case Row r -> {
                List<Object> items = new ArrayList<>(r.getArity());
                for (int j = 0; j < r.getArity(); j++) {
                    items.add(value(r.getField(j), field));
                }
                yield items;
            }
            case java.util.Map<?, ?> m -> {
                java.util.Map<String, Object> items = new java.util.TreeMap<>();
                m.forEach((k, x) -> items.put(String.valueOf(k), value(x, field)));
                yield items;
            }
            default ->
                    throw new LakesException(
                            "field '"
                                    + field
                                    + "' has a "
                                    + v.getClass().getSimpleName()
                                    + " value; Lava Lakes stores numbers, strings,"
                                    + " booleans, bytes, lists and maps");
        };
    }

    static Row fromIpld(List<Object> values, RowTypeInfo type) {
        Row row = new Row(values.size());
        for (int i = 0; i < values.size(); i++) {
            row.setField(i, convert(values.get(i), type.getTypeAt(i)));
        }
        return row;
    }

    private static Object convert(Object v, TypeInformation<?> t) {
        if (v == null) {
            return null;
        }
        if (t.equals(Types.INT)) {
            return ((Long) v).intValue();
        }
        if (t.equals(Types.SHORT)) {
            return ((Long) v).shortValue();
        }
        if (t.equals(Types.FLOAT)) {
            return ((Double) v).floatValue();
        }
        if (t.equals(Types.BIG_DEC)) {
            return new BigDecimal((String) v);
        }
        return v;
    }
}
