package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Projection push-down analysis: for every stream of a pipeline, the fields its consumers read, so
 * the compiler can drop the others where they are produced (before an explode copies a row per
 * element, before a window's key-by serializes rows over the network).
 *
 * <p>It over-approximates and never under-approximates: an expression reads every identifier in its
 * text (a name in a string literal keeps that field too), a sink, a WebAssembly stage or a window
 * with a WebAssembly aggregate reads every field. A source always keeps its event-time field, which
 * its watermarks read.
 */
final class FieldUsage {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, List<Object>> consumers = new HashMap<>();
    private final Map<String, Object> producers = new HashMap<>();
    private final Map<String, Set<String>> memo = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Set<String> eventTimeFields = new HashSet<>();

    /** The marker for "every field" (a set no field name can be in). */
    private static final Set<String> ALL = Set.of();

    FieldUsage(PipelineSpec spec) {
        for (SourceSpec s : spec.sources()) {
            producers.put(s.id(), s);
            if (s.eventTime() != null) {
                eventTimeFields.add(s.eventTime().field());
            }
        }
        for (StageSpec s : spec.stages()) {
            producers.put(s.id(), s);
            consumers.computeIfAbsent(s.input(), k -> new ArrayList<>()).add(s);
        }
        for (SinkSpec s : spec.sinks()) {
            consumers.computeIfAbsent(s.input(), k -> new ArrayList<>()).add(s);
        }
    }

    /**
     * The fields of stream {@code id} that are read downstream, in no particular order; null when
     * every field is.
     */
    Set<String> needed(String id) {
        Set<String> n = compute(id);
        return n == ALL ? null : Set.copyOf(n);
    }

    /**
     * Whether dropping fields of {@code id} in an operator of its own pays: at a source (fields
     * nothing reads) and before a window's shuffle (fields that would be serialized). Between
     * chained operators, a narrower copy costs more than the fields it drops.
     */
    boolean worthPruning(String id) {
        if (producers.get(id) instanceof SourceSpec) {
            return true;
        }
        for (Object c : consumers.getOrDefault(id, List.of())) {
            if (c instanceof StageSpec.Window || c instanceof StageSpec.KeyBy) {
                return true;
            }
        }
        return false;
    }

    private Set<String> compute(String id) {
        Set<String> done = memo.get(id);
        if (done != null) {
            return done;
        }
        if (!inProgress.add(id)) {
            return ALL; // a cycle: the validator reports it; keep everything meanwhile
        }
        Set<String> n = new LinkedHashSet<>();
        for (Object c : consumers.getOrDefault(id, List.of())) {
            Set<String> r = readBy(c);
            if (r == ALL) {
                n = null;
                break;
            }
            n.addAll(r);
        }
        Set<String> result = n == null ? ALL : n;
        if (result != ALL && producers.get(id) instanceof SourceSpec s && s.eventTime() != null) {
            result.add(s.eventTime().field());
        }
        inProgress.remove(id);
        memo.put(id, result);
        return result;
    }

    /** What consumer {@code c} reads of its input: {@link #ALL} or a set of names. */
    private Set<String> readBy(Object c) {
        return switch (c) {
            case SinkSpec s -> ALL;
            case StageSpec.Wasm w -> ALL;
            case StageSpec.Filter f -> plus(compute(f.id()), identifiers(f.where()));
            case StageSpec.Project p -> {
                Set<String> r = new HashSet<>();
                for (StageSpec.Projection col : p.select()) {
                    r.addAll(identifiers(col.expr()));
                }
                yield r;
            }
            case StageSpec.Explode e -> {
                Set<String> out = compute(e.id());
                if (out == ALL) {
                    yield ALL;
                }
                Set<String> r = new HashSet<>(out);
                r.remove(e.as());
                r.add(e.field());
                yield r;
            }
            case StageSpec.KeyBy k -> plus(compute(k.id()), k.fields());
            case StageSpec.Window w -> window(w);
            default -> ALL;
        };
    }

    private Set<String> window(StageSpec.Window w) {
        Set<String> r = new HashSet<>(w.keyBy() != null ? w.keyBy() : keysOf(w.input()));
        for (AggregateDef a : w.aggregates()) {
            if (a.wasm() != null) {
                return ALL; // a module's aggregate reads columns its descriptor names
            }
            if (a.field() != null) {
                r.add(a.field());
            }
            if (a.fn() == AggregateDef.Fn.FIRST || a.fn() == AggregateDef.Fn.LAST) {
                r.addAll(eventTimeFields);
            }
        }
        String late = w.window() == null ? null : w.window().lateOutput();
        // Late rows leave with the window's input schema.
        return late == null ? r : plus(compute(late), r);
    }

    /** The key fields a stream carries to a following window (a key_by, through filters). */
    private List<String> keysOf(String id) {
        Object p = producers.get(id);
        for (int hops = 0; p instanceof StageSpec.Filter f && hops < 1000; hops++) {
            p = producers.get(f.input());
        }
        return p instanceof StageSpec.KeyBy k ? k.fields() : List.of();
    }

    private static Set<String> plus(Set<String> a, Collection<String> b) {
        if (a == ALL) {
            return ALL;
        }
        Set<String> r = new HashSet<>(a);
        r.addAll(b);
        return r;
    }

    static Set<String> identifiers(String expression) {
        Set<String> r = new HashSet<>();
        if (expression == null) {
            return r;
        }
        Matcher m = IDENTIFIER.matcher(expression);
        while (m.find()) {
            r.add(m.group());
        }
        return r;
    }
}
