package io.ipdm.dataflow.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One aggregate of a window: a built-in function or a WebAssembly module's aggregate. */
public sealed interface AggregateDef {
    /**
     * A built-in aggregate: {@code name} is the output column, {@code fn} the function, {@code
     * field} its input (none for count). {@code k} is for top_k, {@code quantiles} for quantiles.
     */
    record BuiltIn(String name, Fn fn, String field, Mode mode, Integer k, List<Double> quantiles)
            implements AggregateDef {
        public BuiltIn {
            quantiles = quantiles == null ? null : List.copyOf(quantiles);
        }
    }

    /**
     * {@code wasm: <module>.<function>}: a module's aggregate function; its output columns are the
     * module's.
     *
     * @param fields module input column -> row field it reads (unlisted columns read the field of
     *     the same name)
     * @param columns module output column -> window column (unlisted columns keep their name)
     * @param batch rows folded into the module's state per call (null: the default)
     */
    record Wasm(
            String module,
            String function,
            Map<String, String> fields,
            Map<String, String> columns,
            Integer batch)
            implements AggregateDef {
        public Wasm {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }
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
