package io.ipdm.operators.aggregate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The built-in aggregates, by their name in queries. */
public enum AggregateKind {
    COUNT,
    SUM,
    MIN,
    MAX,
    AVG,
    COUNT_DISTINCT,
    TOP_K,
    QUANTILES,
    FIRST,
    LAST;

    /** The name used in queries: count, sum, ..., count_distinct, top_k, quantiles, first, last. */
    public String queryName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the known aggregates
     */
    public static AggregateKind fromName(String name) {
        for (AggregateKind k : values()) {
            if (k.queryName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown aggregate '"
                        + name
                        + "'; known aggregates: "
                        + Arrays.stream(values())
                                .map(AggregateKind::queryName)
                                .collect(Collectors.joining(", ")));
    }
}
