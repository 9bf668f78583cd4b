package io.ipdm.dataflow.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One processing step; {@code input} names a source, a stage or a side output of a stage (late
 * rows, dead letters): any stream of the {@link PipelineGraph}.
 */
public sealed interface StageSpec {
    String id();

    String input();

    /** Every stream this stage reads: {@link #input()}, and more for a {@code sql} stage. */
    default List<String> inputs() {
        return input() == null ? List.of() : List.of(input());
    }

    /** The YAML {@code kind:} of this stage. */
    String kind();

    /** The streams this stage emits besides its main output (late rows, dead letters). */
    default List<PipelineGraph.SideOutput> sideOutputs() {
        return List.of();
    }

    /**
     * A Flink SQL query over streams of the pipeline: each of {@code inputs} is a table of that
     * name with its fields as columns and its event time as the rowtime column {@code rowtime}.
     */
    record Sql(String id, List<String> inputs, String query, List<SqlTable> tables)
            implements StageSpec {
        public Sql {
            inputs = List.copyOf(inputs);
            tables = tables == null ? List.of() : List.copyOf(tables);
        }

        public Sql(String id, List<String> inputs, String query) {
            this(id, inputs, query, List.of());
        }

        @Override
        public String input() {
            return inputs.isEmpty() ? null : inputs.get(0);
        }

        @Override
        public String kind() {
            return "sql";
        }
    }

    /**
     * A bounded lookup table for a {@code kind: sql} stage: a CSV (with a header line) or JSON
     * Lines file, relative to the pipeline file (as modules are), with its columns and their SQL
     * types in order.
     */
    record SqlTable(String name, String path, Map<String, String> columns) {
        public SqlTable {
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }
    }

    /** Keeps rows for which the CEL expression {@code where} is true. */
    record Filter(String id, String input, String where) implements StageSpec {
        @Override
        public String kind() {
            return "filter";
        }
    }

    /** Replaces each row with the named CEL expressions, in order. */
    record Project(String id, String input, List<Projection> select) implements StageSpec {
        public Project {
            select = List.copyOf(select);
        }

        @Override
        public String kind() {
            return "project";
        }
    }

    /** One output column of a projection. */
    record Projection(String name, String expr) {}

    /**
     * One row per element of the array field {@code field}, the element named {@code as}; with
     * {@code distinct}, an element repeated in one row's array gives one row.
     */
    record Explode(String id, String input, String field, String as, Boolean distinct)
            implements StageSpec {
        @Override
        public String kind() {
            return "explode";
        }
    }

    /** Partitions the stream by fields; the next window aggregates per key. */
    record KeyBy(String id, String input, List<String> fields) implements StageSpec {
        public KeyBy {
            fields = List.copyOf(fields);
        }

        @Override
        public String kind() {
            return "key_by";
        }
    }

    /**
     * An event-time window with its aggregates; keys come from {@code key_by} or a key_by input.
     */
    record Window(
            String id,
            String input,
            List<String> keyBy,
            WindowDef window,
            List<AggregateDef> aggregates)
            implements StageSpec {
        public Window {
            keyBy = keyBy == null ? null : List.copyOf(keyBy);
            aggregates = List.copyOf(aggregates);
        }

        @Override
        public String kind() {
            return "window";
        }

        @Override
        public List<PipelineGraph.SideOutput> sideOutputs() {
            if (window == null || window.lateOutput() == null) {
                return List.of();
            }
            return List.of(
                    new PipelineGraph.SideOutput(
                            window.lateOutput(),
                            PipelineGraph.SideKind.LATE_ROWS,
                            this,
                            "stages." + id + ".window.late_output"));
        }
    }

    /**
     * A call into a WebAssembly module from {@code modules:}. With {@code options.on_failure:
     * dead_letter} the rows of failed batches become the stream {@code options.dead_letters}
     * (default {@code <id>_dead_letters}).
     */
    record Wasm(
            String id, String input, String module, String function, Map<String, Object> options)
            implements StageSpec {
        /** The option that routes failed rows to a dead-letter stream. */
        public static final String ON_FAILURE = "on_failure";

        /** The option naming the dead-letter stream. */
        public static final String DEAD_LETTERS = "dead_letters";

        public Wasm {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public String kind() {
            return "wasm";
        }

        /** The id of this stage's dead-letter stream (whether or not failures are routed there). */
        public String deadLetterStream() {
            Object named = options.get(DEAD_LETTERS);
            return named != null ? named.toString() : id + "_dead_letters";
        }

        /** Whether failed rows go to {@link #deadLetterStream()} rather than failing the job. */
        public boolean routesDeadLetters() {
            return "dead_letter".equals(options.get(ON_FAILURE));
        }

        @Override
        public List<PipelineGraph.SideOutput> sideOutputs() {
            if (!routesDeadLetters()) {
                return List.of();
            }
            return List.of(
                    new PipelineGraph.SideOutput(
                            deadLetterStream(),
                            PipelineGraph.SideKind.DEAD_LETTERS,
                            this,
                            "stages."
                                    + id
                                    + (options.containsKey(DEAD_LETTERS)
                                            ? ".options." + DEAD_LETTERS
                                            : ".options." + ON_FAILURE)));
        }
    }
}
