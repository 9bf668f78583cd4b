package io.ipdm.dataflow.spec;

import java.util.List;

/**
 * One aggregate column of a window: {@code name} is the output column, {@code fn} the function,
 * {@code field} its input (none for count). {@code k} is for top_k, {@code quantiles} for
 * quantiles.
 */
public record AggregateDef(
        String name, Fn fn, String field, Mode mode, Integer k, List<Double> quantiles) {
    public AggregateDef {
        quantiles = quantiles == null ? null : List.copyOf(quantiles);
    }

    /** Aggregate functions. */
    public enum Fn {
        COUNT("count"),
        SUM("sum"),
        MIN("min"),
        MAX("max"),
        AVG("avg"),
        COUNT_DISTINCT("count_distinct"),
        TOP_K("top_k"),
        QUANTILES("quantiles"),
        FIRST("first"),
        LAST("last");

        private final String yaml;

        Fn(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        public boolean needsField() {
            return this != COUNT;
        }
    }

    /** Exact state or a mergeable sketch (DataSketches). */
    public enum Mode {
        EXACT("exact"),
        APPROXIMATE("approximate");

        private final String yaml;

        Mode(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }
}
