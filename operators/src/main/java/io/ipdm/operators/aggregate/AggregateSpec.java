package io.ipdm.operators.aggregate;

import java.util.List;
import java.util.Objects;

/**
 * One aggregate of a windowed query: its output column name, kind and input field, plus the
 * parameters some kinds take. Build with the static factories; {@link Aggregators#create} checks it
 * against a schema.
 *
 * @param name output column name (snake_case)
 * @param kind the aggregate
 * @param field the input field, or null for {@code count} of rows
 * @param precision exact or approximate, for count_distinct, top_k and quantiles (else EXACT)
 * @param k how many items top_k reports (0 for other kinds)
 * @param ranks the ranks in [0, 1] quantiles reports, in order (empty for other kinds)
 * @param timeField the field that orders first and last (null for other kinds)
 * @param custom an aggregator that is not built in (a WebAssembly module's), with kind null; null
 *     for built-in kinds
 */
public record AggregateSpec(
        String name,
        AggregateKind kind,
        String field,
        Precision precision,
        int k,
        List<Double> ranks,
        String timeField,
        Aggregator<?> custom) {

    public AggregateSpec {
        if (custom == null) {
            Objects.requireNonNull(kind, "kind");
        }
        precision = precision == null ? Precision.EXACT : precision;
        ranks = ranks == null ? List.of() : List.copyOf(ranks);
    }

    /** A built-in aggregate. */
    public AggregateSpec(
            String name,
            AggregateKind kind,
            String field,
            Precision precision,
            int k,
            List<Double> ranks,
            String timeField) {
        this(name, kind, field, precision, k, ranks, timeField, null);
    }

    /**
     * An aggregate that is not built in; {@code name} names it in errors (a {@link
     * MultiColumnAggregator}'s columns are named by its result type).
     */
    public static AggregateSpec custom(String name, Aggregator<?> aggregator) {
        Objects.requireNonNull(aggregator, "aggregator");
        return new AggregateSpec(name, null, null, Precision.EXACT, 0, null, null, aggregator);
    }

    /** Number of rows. */
    public static AggregateSpec count(String name) {
        return simple(name, AggregateKind.COUNT, null);
    }

    /** Number of rows where {@code field} is not null. */
    public static AggregateSpec count(String name, String field) {
        return simple(name, AggregateKind.COUNT, field);
    }

    public static AggregateSpec sum(String name, String field) {
        return simple(name, AggregateKind.SUM, field);
    }

    public static AggregateSpec min(String name, String field) {
        return simple(name, AggregateKind.MIN, field);
    }

    public static AggregateSpec max(String name, String field) {
        return simple(name, AggregateKind.MAX, field);
    }

    public static AggregateSpec avg(String name, String field) {
        return simple(name, AggregateKind.AVG, field);
    }

    public static AggregateSpec countDistinct(String name, String field, Precision precision) {
        return new AggregateSpec(
                name, AggregateKind.COUNT_DISTINCT, field, precision, 0, null, null);
    }

    public static AggregateSpec topK(String name, String field, int k, Precision precision) {
        return new AggregateSpec(name, AggregateKind.TOP_K, field, precision, k, null, null);
    }

    public static AggregateSpec quantiles(
            String name, String field, List<Double> ranks, Precision precision) {
        return new AggregateSpec(name, AggregateKind.QUANTILES, field, precision, 0, ranks, null);
    }

    /** The value of {@code field} in the row with the smallest {@code timeField}. */
    public static AggregateSpec first(String name, String field, String timeField) {
        return new AggregateSpec(
                name, AggregateKind.FIRST, field, Precision.EXACT, 0, null, timeField);
    }

    /** The value of {@code field} in the row with the largest {@code timeField}. */
    public static AggregateSpec last(String name, String field, String timeField) {
        return new AggregateSpec(
                name, AggregateKind.LAST, field, Precision.EXACT, 0, null, timeField);
    }

    private static AggregateSpec simple(String name, AggregateKind kind, String field) {
        return new AggregateSpec(name, kind, field, Precision.EXACT, 0, null, null);
    }
}
