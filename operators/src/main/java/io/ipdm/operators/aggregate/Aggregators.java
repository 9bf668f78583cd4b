package io.ipdm.operators.aggregate;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** Builds {@link Aggregator}s from {@link AggregateSpec}s, checking them against a row schema. */
public final class Aggregators {
    /** Largest k for top_k: its result is one string per window. */
    public static final int MAX_TOP_K = 1000;

    private static final Set<TypeInformation<?>> INTEGRAL =
            Set.of(Types.LONG, Types.INT, Types.SHORT, Types.BYTE);
    private static final Set<TypeInformation<?>> FLOATING = Set.of(Types.DOUBLE, Types.FLOAT);

    private Aggregators() {}

    /**
     * @throws IllegalArgumentException naming the aggregate and what is wrong: an unknown field
     *     (with the known fields), a field of the wrong type, a bad parameter
     */
    public static Aggregator<?> create(AggregateSpec spec, RowTypeInfo schema) {
        if (spec.custom() != null) {
            return spec.custom();
        }
        String name = spec.name();
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "aggregate output name '"
                            + name
                            + "' is not valid: use letters, digits and '_' (snake_case)");
        }
        AggregateKind kind = spec.kind();
        if (kind == AggregateKind.COUNT && spec.field() == null) {
            return new NumberAggregator(name, NumberAggregator.Op.COUNT, -1, false, Types.LONG);
        }
        int pos = fieldPosition(spec, spec.field(), schema);
        TypeInformation<?> type = schema.getTypeAt(pos);
        boolean integral = INTEGRAL.contains(type);
        boolean floating = FLOATING.contains(type);
        return switch (kind) {
            case COUNT -> new NumberAggregator(name, NumberAggregator.Op.COUNT, pos, false, type);
            case SUM, AVG -> {
                requireNumeric(spec, type, integral || floating);
                yield new NumberAggregator(
                        name,
                        kind == AggregateKind.SUM
                                ? NumberAggregator.Op.SUM
                                : NumberAggregator.Op.AVG,
                        pos,
                        floating,
                        type);
            }
            case MIN, MAX -> {
                NumberAggregator.Op op =
                        kind == AggregateKind.MIN
                                ? NumberAggregator.Op.MIN
                                : NumberAggregator.Op.MAX;
                if (integral || floating) {
                    yield new NumberAggregator(name, op, pos, floating, type);
                }
                requireScalar(spec, type);
                yield new ValueAggregator(
                        kind == AggregateKind.MIN ? ValueAggregator.Op.MIN : ValueAggregator.Op.MAX,
                        pos,
                        -1,
                        type);
            }
            case COUNT_DISTINCT -> {
                requireScalar(spec, type);
                yield spec.precision() == Precision.EXACT
                        ? new DistinctAggregator(pos, type)
                        : new HllAggregator(pos);
            }
            case TOP_K -> {
                requireScalar(spec, type);
                if (spec.k() < 1 || spec.k() > MAX_TOP_K) {
                    throw new IllegalArgumentException(
                            describe(spec)
                                    + ": k must be between 1 and "
                                    + MAX_TOP_K
                                    + ", got "
                                    + spec.k());
                }
                yield spec.precision() == Precision.EXACT
                        ? new TopKExactAggregator(pos, spec.k())
                        : new TopKAggregator(pos, spec.k());
            }
            case QUANTILES -> {
                requireNumeric(spec, type, integral || floating);
                double[] ranks = ranks(spec);
                yield spec.precision() == Precision.EXACT
                        ? new QuantilesExactAggregator(pos, ranks)
                        : new QuantilesAggregator(pos, ranks);
            }
            case FIRST, LAST -> {
                if (spec.timeField() == null) {
                    throw new IllegalArgumentException(
                            describe(spec) + ": needs a time field that orders the rows");
                }
                int timePos = fieldPosition(spec, spec.timeField(), schema);
                if (!INTEGRAL.contains(schema.getTypeAt(timePos))) {
                    throw new IllegalArgumentException(
                            describe(spec)
                                    + ": time field '"
                                    + spec.timeField()
                                    + "' must be an integer (Long), but it is "
                                    + schema.getTypeAt(timePos));
                }
                yield new ValueAggregator(
                        kind == AggregateKind.FIRST
                                ? ValueAggregator.Op.FIRST
                                : ValueAggregator.Op.LAST,
                        pos,
                        timePos,
                        type);
            }
        };
    }

    private static String describe(AggregateSpec spec) {
        return "aggregate '" + spec.name() + "' (" + spec.kind().queryName() + ")";
    }

    private static int fieldPosition(AggregateSpec spec, String field, RowTypeInfo schema) {
        if (field == null) {
            throw new IllegalArgumentException(describe(spec) + ": needs an input field");
        }
        int pos = schema.getFieldIndex(field);
        if (pos < 0) {
            throw new IllegalArgumentException(
                    describe(spec)
                            + ": unknown field '"
                            + field
                            + "'; known fields: "
                            + String.join(", ", schema.getFieldNames()));
        }
        return pos;
    }

    private static void requireNumeric(
            AggregateSpec spec, TypeInformation<?> type, boolean numeric) {
        if (!numeric) {
            throw new IllegalArgumentException(
                    describe(spec)
                            + ": needs a numeric field, but '"
                            + spec.field()
                            + "' is "
                            + type);
        }
    }

    private static void requireScalar(AggregateSpec spec, TypeInformation<?> type) {
        if (!(type instanceof BasicTypeInfo<?>) || type.equals(Types.VOID)) {
            throw new IllegalArgumentException(
                    describe(spec)
                            + ": needs a field of a simple type (number, string, bool), but '"
                            + spec.field()
                            + "' is "
                            + type
                            + (type instanceof BasicArrayTypeInfo<?, ?>
                                            || type instanceof PrimitiveArrayTypeInfo<?>
                                            || type instanceof ListTypeInfo<?>
                                    ? "; explode the array first (RowExplode)"
                                    : ""));
        }
    }

    private static double[] ranks(AggregateSpec spec) {
        List<Double> ranks = spec.ranks();
        if (ranks.isEmpty()) {
            throw new IllegalArgumentException(
                    describe(spec) + ": needs at least one rank, e.g. [0.5, 0.95]");
        }
        double[] out = new double[ranks.size()];
        for (int i = 0; i < out.length; i++) {
            Double r = ranks.get(i);
            if (r == null || !(r >= 0.0 && r <= 1.0)) {
                throw new IllegalArgumentException(
                        describe(spec) + ": rank " + r + " is outside [0, 1]");
            }
            out[i] = r;
        }
        return out;
    }
}
