package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.PipelineGraph;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Projection push-down analysis: for every stream of a pipeline, the fields its consumers read, so
 * the compiler can drop the others where they are produced (before an explode copies a row per
 * element, before a window's key-by serializes rows over the network).
 *
 * <p>It over-approximates and never under-approximates: an expression reads the fields its checked
 * syntax tree references, a sink, a WebAssembly stage or a window with a WebAssembly aggregate
 * reads every field. A source always keeps its event-time field, which its watermarks read. Streams
 * are visited once each, consumers before producers (reverse {@link PipelineGraph#order()}), so a
 * chain of any length costs no stack.
 */
final class FieldUsage {
    /** The marker for "every field" (a set no field name can be in). */
    private static final Set<String> ALL = Set.of();

    private final PipelineGraph graph;
    private final Function<String, Set<String>> expressionFields;
    private final Map<String, Set<String>> needed = new HashMap<>();
    private final Set<String> eventTimeFields = new HashSet<>();

    /**
     * @param expressionFields the fields the expression at a key path reads (from the typing pass)
     */
    FieldUsage(PipelineGraph graph, Function<String, Set<String>> expressionFields) {
        this.graph = graph;
        this.expressionFields = expressionFields;
        for (SourceSpec s : graph.spec().sources()) {
            if (s.eventTime() != null) {
                eventTimeFields.add(s.eventTime().field());
            }
        }
        List<PipelineGraph.Producer> order = graph.order();
        for (int i = order.size() - 1; i >= 0; i--) {
            String id = order.get(i).id();
            needed.put(id, compute(id));
        }
    }

    /**
     * The fields of stream {@code id} that are read downstream, in no particular order; null when
     * every field is.
     */
    Set<String> needed(String id) {
        Set<String> n = needed.get(id);
        return n == null || n == ALL ? null : Set.copyOf(n);
    }

    /**
     * Whether dropping fields of {@code id} in an operator of its own pays: at a source (fields
     * nothing reads) and before a window's shuffle (fields that would be serialized). Between
     * chained operators, a narrower copy costs more than the fields it drops.
     */
    boolean worthPruning(String id) {
        if (graph.producer(id) instanceof PipelineGraph.Source) {
            return true;
        }
        for (StageSpec c : graph.stagesReading(id)) {
            if (c instanceof StageSpec.Window || c instanceof StageSpec.KeyBy) {
                return true;
            }
        }
        return false;
    }

    private Set<String> of(String id) {
        // Not visited: on a cycle or below an unknown input, which the validator reports.
        return needed.getOrDefault(id, ALL);
    }

    private Set<String> compute(String id) {
        if (!graph.sinksReading(id).isEmpty()) {
            return ALL;
        }
        Set<String> n = new LinkedHashSet<>();
        for (StageSpec c : graph.stagesReading(id)) {
            Set<String> r = readBy(c);
            if (r == ALL) {
                return ALL;
            }
            n.addAll(r);
        }
        if (graph.producer(id) instanceof PipelineGraph.Source s && s.spec().eventTime() != null) {
            n.add(s.spec().eventTime().field());
        }
        return n;
    }

    /** What stage {@code c} reads of its input: {@link #ALL} or a set of names. */
    private Set<String> readBy(StageSpec c) {
        String base = "stages." + c.id();
        return switch (c) {
            case StageSpec.Wasm w -> ALL;
            case StageSpec.Sql q -> ALL; // the query names columns Flink resolves
            case StageSpec.Filter f -> plus(of(f.id()), expressionFields.apply(base + ".where"));
            case StageSpec.Project p -> {
                // the project computes only the columns read after it, else its first (ProjectKind)
                Set<String> out = of(p.id());
                Set<String> r = new HashSet<>();
                for (StageSpec.Projection col : p.select()) {
                    boolean first = col == p.select().get(0);
                    boolean noneRead =
                            out != ALL
                                    && p.select().stream().noneMatch(x -> out.contains(x.name()));
                    if (out != ALL && !out.contains(col.name()) && !(first && noneRead)) {
                        continue;
                    }
                    Set<String> read = expressionFields.apply(base + ".select." + col.name());
                    if (read == null) {
                        yield ALL;
                    }
                    r.addAll(read);
                }
                yield r;
            }
            case StageSpec.Explode e -> {
                Set<String> out = of(e.id());
                if (out == ALL) {
                    yield ALL;
                }
                Set<String> r = new HashSet<>(out);
                r.remove(e.as());
                r.add(e.field());
                yield r;
            }
            case StageSpec.KeyBy k -> plus(of(k.id()), k.fields());
            case StageSpec.Window w -> window(w);
        };
    }

    private Set<String> window(StageSpec.Window w) {
        Set<String> r = new HashSet<>(w.keyBy() != null ? w.keyBy() : keysOf(w.input()));
        for (AggregateDef def : w.aggregates()) {
            switch (def) {
                case AggregateDef.Wasm a -> {
                    return ALL; // a module's aggregate reads columns its descriptor names
                }
                case AggregateDef.BuiltIn a -> {
                    if (a.field() != null) {
                        r.add(a.field());
                    }
                    if (a.fn() == AggregateDef.Fn.FIRST || a.fn() == AggregateDef.Fn.LAST) {
                        r.addAll(eventTimeFields);
                    }
                }
            }
        }
        // Side outputs (late rows) leave with the window's input schema.
        for (PipelineGraph.SideOutput side : graph.sideOutputsOf(w.id())) {
            r = plus(of(side.id()), r);
        }
        return r;
    }

    /** The key fields a stream carries to a following window (a key_by, through filters). */
    private List<String> keysOf(String id) {
        PipelineGraph.Producer p = graph.producer(id);
        for (int hops = 0;
                p instanceof PipelineGraph.Stage s && s.spec() instanceof StageSpec.Filter f;
                hops++) {
            if (hops > graph.producers().size()) {
                return List.of();
            }
            p = graph.producer(f.input());
        }
        return p instanceof PipelineGraph.Stage s && s.spec() instanceof StageSpec.KeyBy k
                ? k.fields()
                : List.of();
    }

    private static Set<String> plus(Set<String> a, Collection<String> b) {
        if (a == ALL || b == null) {
            return ALL;
        }
        Set<String> r = new HashSet<>(a);
        r.addAll(b);
        return r;
    }
}
