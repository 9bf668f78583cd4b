package io.ipdm.operators.expr;

import com.google.protobuf.ByteString;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;

/**
 * Maps Flink field types to CEL types (for reading row fields) and CEL result types back to Flink
 * types (for projections). Integral Flink types all become CEL {@code int} (Long), floating ones
 * {@code double}; arrays and lists of those become CEL lists.
 */
final class CelTypeMapping {
    private CelTypeMapping() {}

    /** How a field is declared to CEL and how its Java value is converted for CEL. */
    record FieldBinding(CelType celType, Function<Object, Object> toCel) {}

    /** How a CEL result is typed in Flink and converted from the CEL value. */
    record ResultBinding(TypeInformation<?> flinkType, Function<Object, Object> fromCel) {}

    /** The binding of a field of this type, or null when expressions cannot read it. */
    static FieldBinding field(TypeInformation<?> t) {
        FieldBinding scalar = scalar(t);
        if (scalar != null) {
            // Nullable so that 'field == null' type-checks; a null read is tracked by the resolver.
            return new FieldBinding(NullableType.create(scalar.celType()), scalar.toCel());
        }
        if (t.equals(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return new FieldBinding(SimpleType.BYTES, v -> ByteString.copyFrom((byte[]) v));
        }
        if (t instanceof BasicArrayTypeInfo<?, ?> a) {
            FieldBinding elem = scalar(a.getComponentInfo());
            if (elem == null) {
                return null;
            }
            return new FieldBinding(
                    ListType.create(elem.celType()), listOf(elem.toCel(), a.getComponentInfo()));
        }
        if (t instanceof PrimitiveArrayTypeInfo<?> p) {
            return primitiveArray(p);
        }
        if (t instanceof ObjectArrayTypeInfo<?, ?> a) {
            FieldBinding elem = scalar(a.getComponentInfo());
            if (elem == null) {
                return null;
            }
            return new FieldBinding(
                    ListType.create(elem.celType()), listOf(elem.toCel(), a.getComponentInfo()));
        }
        if (t instanceof ListTypeInfo<?> l) {
            FieldBinding elem = scalar(l.getElementTypeInfo());
            if (elem == null) {
                return null;
            }
            Function<Object, Object> conv = elem.toCel();
            return new FieldBinding(
                    ListType.create(elem.celType()),
                    v -> {
                        List<?> in = (List<?>) v;
                        List<Object> out = new ArrayList<>(in.size());
                        for (Object o : in) {
                            out.add(o == null ? null : conv.apply(o));
                        }
                        return out;
                    });
        }
        return null;
    }

    private static FieldBinding scalar(TypeInformation<?> t) {
        if (t.equals(BasicTypeInfo.LONG_TYPE_INFO)) {
            return new FieldBinding(SimpleType.INT, Function.identity());
        }
        if (t.equals(BasicTypeInfo.INT_TYPE_INFO)
                || t.equals(BasicTypeInfo.SHORT_TYPE_INFO)
                || t.equals(BasicTypeInfo.BYTE_TYPE_INFO)) {
            return new FieldBinding(SimpleType.INT, v -> ((Number) v).longValue());
        }
        if (t.equals(BasicTypeInfo.DOUBLE_TYPE_INFO)) {
            return new FieldBinding(SimpleType.DOUBLE, Function.identity());
        }
        if (t.equals(BasicTypeInfo.FLOAT_TYPE_INFO)) {
            return new FieldBinding(SimpleType.DOUBLE, v -> ((Number) v).doubleValue());
        }
        if (t.equals(BasicTypeInfo.STRING_TYPE_INFO)) {
            return new FieldBinding(SimpleType.STRING, Function.identity());
        }
        if (t.equals(BasicTypeInfo.CHAR_TYPE_INFO)) {
            return new FieldBinding(SimpleType.STRING, String::valueOf);
        }
        if (t.equals(BasicTypeInfo.BOOLEAN_TYPE_INFO)) {
            return new FieldBinding(SimpleType.BOOL, Function.identity());
        }
        return null;
    }

    private static Function<Object, Object> listOf(
            Function<Object, Object> elem, TypeInformation<?> elemType) {
        if (elemType.equals(BasicTypeInfo.STRING_TYPE_INFO)
                || elemType.equals(BasicTypeInfo.LONG_TYPE_INFO)
                || elemType.equals(BasicTypeInfo.DOUBLE_TYPE_INFO)
                || elemType.equals(BasicTypeInfo.BOOLEAN_TYPE_INFO)) {
            return v -> Arrays.asList((Object[]) v); // a view: no copy on the hot path
        }
        return v -> {
            Object[] in = (Object[]) v;
            List<Object> out = new ArrayList<>(in.length);
            for (Object o : in) {
                out.add(o == null ? null : elem.apply(o));
            }
            return out;
        };
    }

    private static FieldBinding primitiveArray(PrimitiveArrayTypeInfo<?> p) {
        if (p.equals(PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return new FieldBinding(
                    ListType.create(SimpleType.INT),
                    v -> Arrays.stream((long[]) v).boxed().toList());
        }
        if (p.equals(PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return new FieldBinding(
                    ListType.create(SimpleType.INT),
                    v -> Arrays.stream((int[]) v).mapToObj(i -> (long) i).toList());
        }
        if (p.equals(PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return new FieldBinding(
                    ListType.create(SimpleType.DOUBLE),
                    v -> Arrays.stream((double[]) v).boxed().toList());
        }
        return null;
    }

    /** The Flink type of a CEL result type, or null when it has no Flink counterpart here. */
    static ResultBinding result(CelType t) {
        if (t instanceof NullableType n) {
            return result(n.targetType());
        }
        if (t.kind() == CelKind.LIST && t instanceof ListType l && l.hasElemType()) {
            CelType e = l.elemType();
            if (e instanceof NullableType n) {
                e = n.targetType();
            }
            return switch (e.kind()) {
                case STRING ->
                        new ResultBinding(
                                BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO,
                                v -> toArray((List<?>) v, new String[0]));
                case INT ->
                        new ResultBinding(
                                BasicArrayTypeInfo.LONG_ARRAY_TYPE_INFO,
                                v -> toArray((List<?>) v, new Long[0]));
                case DOUBLE ->
                        new ResultBinding(
                                BasicArrayTypeInfo.DOUBLE_ARRAY_TYPE_INFO,
                                v -> toArray((List<?>) v, new Double[0]));
                case BOOL ->
                        new ResultBinding(
                                BasicArrayTypeInfo.BOOLEAN_ARRAY_TYPE_INFO,
                                v -> toArray((List<?>) v, new Boolean[0]));
                default -> null;
            };
        }
        return switch (t.kind()) {
            case INT -> new ResultBinding(BasicTypeInfo.LONG_TYPE_INFO, Function.identity());
            case UINT ->
                    new ResultBinding(BasicTypeInfo.LONG_TYPE_INFO, v -> ((Number) v).longValue());
            case DOUBLE -> new ResultBinding(BasicTypeInfo.DOUBLE_TYPE_INFO, Function.identity());
            case STRING -> new ResultBinding(BasicTypeInfo.STRING_TYPE_INFO, Function.identity());
            case BOOL -> new ResultBinding(BasicTypeInfo.BOOLEAN_TYPE_INFO, Function.identity());
            case BYTES ->
                    new ResultBinding(
                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                            v -> ((ByteString) v).toByteArray());
            default -> null;
        };
    }

    /** CEL lists may hold CEL's null value where a field was null: those become Java nulls. */
    private static <T> T[] toArray(List<?> list, T[] empty) {
        T[] out = java.util.Arrays.copyOf(empty, list.size());
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            @SuppressWarnings("unchecked")
            T t = v instanceof dev.cel.common.values.NullValue ? null : (T) v;
            out[i] = t;
        }
        return out;
    }

    /** A user-facing name of a CEL type: wrappers shown as their value type. */
    static String describe(CelType t) {
        if (t instanceof NullableType n) {
            return describe(n.targetType());
        }
        return t.name().equals("list") && t instanceof ListType l && l.hasElemType()
                ? "list(" + describe(l.elemType()) + ")"
                : t.name();
    }
}
