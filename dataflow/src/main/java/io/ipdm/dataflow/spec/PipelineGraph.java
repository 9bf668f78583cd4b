package io.ipdm.dataflow.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The streams of a pipeline and what produces and reads each one, built once after parsing and read
 * by the validator, the field-usage analysis and the compiler.
 *
 * <p>Every stream has exactly one producer (a source, a stage, or a side output of a stage) and
 * every producer but a source reads one upstream stream ({@code sql} stages read several: their
 * first is the {@link Producer#upstream()}). Everything here is iterative: a chain of any length
 * costs no stack.
 */
public final class PipelineGraph {
    /** What produces a stream. */
    public sealed interface Producer {
        /** The id of the stream it produces. */
        String id();

        /** The stream it reads (the first, for a stage that reads several); null for a source. */
        String upstream();

        /** Every stream it reads. */
        default List<String> upstreams() {
            return upstream() == null ? List.of() : List.of(upstream());
        }
    }

    /** A source's rows. */
    public record Source(SourceSpec spec) implements Producer {
        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public String upstream() {
            return null;
        }
    }

    /** A stage's main output. */
    public record Stage(StageSpec spec) implements Producer {
        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public String upstream() {
            return spec.input();
        }

        @Override
        public List<String> upstreams() {
            return spec.inputs();
        }
    }

    /** The kinds of side output a stage can have. */
    public enum SideKind {
        /** A window's rows that arrived after it closed: the window's input schema. */
        LATE_ROWS("late rows"),
        /** Rows a WebAssembly stage failed on: the stage's input schema plus the error. */
        DEAD_LETTERS("dead letters");

        private final String description;

        SideKind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * A stream a stage emits besides its main output; it is "read" from its owner, which is built
     * before it. {@code path} is the key path that names it (for errors).
     */
    public record SideOutput(String id, SideKind kind, StageSpec owner, String path)
            implements Producer {
        @Override
        public String upstream() {
            return owner.id();
        }
    }

    /** A stream id defined twice: the later producer is dropped from the graph. */
    public record Conflict(Producer rejected, int index, Producer kept) {}

    private final PipelineSpec spec;
    private final Map<String, Producer> producers = new LinkedHashMap<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    private final Map<String, List<StageSpec>> stageReaders = new HashMap<>();
    private final Map<String, List<SinkSpec>> sinkReaders = new HashMap<>();
    private final Map<String, List<SideOutput>> sideOutputs = new HashMap<>();
    private final List<Producer> order;
    private final Set<String> unreachable;

    private PipelineGraph(PipelineSpec spec) {
        this.spec = spec;
        for (int i = 0; i < spec.sources().size(); i++) {
            define(new Source(spec.sources().get(i)), i);
        }
        for (int i = 0; i < spec.stages().size(); i++) {
            define(new Stage(spec.stages().get(i)), i);
        }
        for (StageSpec s : spec.stages()) {
            for (SideOutput side : s.sideOutputs()) {
                if (define(side, -1)) {
                    sideOutputs.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(side);
                }
            }
        }
        for (StageSpec s : spec.stages()) {
            for (String in : new java.util.LinkedHashSet<>(s.inputs())) {
                stageReaders.computeIfAbsent(in, k -> new ArrayList<>()).add(s);
            }
        }
        for (SinkSpec s : spec.sinks()) {
            sinkReaders.computeIfAbsent(s.input(), k -> new ArrayList<>()).add(s);
        }
        this.order = topologicalOrder();
        Set<String> missing = new HashSet<>(producers.keySet());
        for (Producer p : order) {
            missing.remove(p.id());
        }
        this.unreachable = Collections.unmodifiableSet(missing);
    }

    /** The graph of {@code spec}; conflicts and cycles are recorded, not thrown. */
    public static PipelineGraph of(PipelineSpec spec) {
        return new PipelineGraph(spec);
    }

    private boolean define(Producer p, int index) {
        Producer existing = producers.putIfAbsent(p.id(), p);
        if (existing != null && existing != p) {
            conflicts.add(new Conflict(p, index, existing));
            return false;
        }
        return true;
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** Every stream's producer by id, sources first, then stages, then side outputs. */
    public Map<String, Producer> producers() {
        return Collections.unmodifiableMap(producers);
    }

    public Producer producer(String id) {
        return producers.get(id);
    }

    /** Ids defined more than once. */
    public List<Conflict> conflicts() {
        return List.copyOf(conflicts);
    }

    /** The stages that read stream {@code id}. */
    public List<StageSpec> stagesReading(String id) {
        return stageReaders.getOrDefault(id, List.of());
    }

    /** The sinks that read stream {@code id}. */
    public List<SinkSpec> sinksReading(String id) {
        return sinkReaders.getOrDefault(id, List.of());
    }

    /** The side outputs of stage {@code id}. */
    public List<SideOutput> sideOutputsOf(String id) {
        return sideOutputs.getOrDefault(id, List.of());
    }

    /**
     * Producers in an order where every producer comes after the one it reads. Producers on a
     * cycle, below one, or below an unknown input are left out (see {@link #unreachable()}).
     */
    public List<Producer> order() {
        return order;
    }

    /** Ids of producers that {@link #order()} leaves out. */
    public Set<String> unreachable() {
        return unreachable;
    }

    /** The source a stream's rows come from (through stages and side outputs), or null. */
    public SourceSpec rootSource(String id) {
        Set<String> seen = new HashSet<>();
        String cur = id;
        while (cur != null && seen.add(cur)) {
            Producer p = producers.get(cur);
            if (p == null) {
                return null;
            }
            if (p instanceof Source s) {
                return s.spec();
            }
            cur = p.upstream();
        }
        return null;
    }

    /**
     * The ids of every cycle, each listed once as {@code [a, b, ..., a]} starting at the first
     * stage (in file order) walked into it.
     */
    public List<List<String>> cycles() {
        List<List<String>> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Producer start : producers.values()) {
            Map<String, Integer> trail = new LinkedHashMap<>();
            String cur = start.id();
            while (cur != null && !done.contains(cur)) {
                Integer at = trail.get(cur);
                if (at != null) {
                    List<String> walked = new ArrayList<>(trail.keySet());
                    List<String> cycle = new ArrayList<>(walked.subList(at, walked.size()));
                    cycle.add(cur);
                    out.add(cycle);
                    break;
                }
                Producer p = producers.get(cur);
                if (p == null) {
                    break;
                }
                trail.put(cur, trail.size());
                cur = p.upstream();
            }
            done.addAll(trail.keySet());
        }
        return out;
    }

    private List<Producer> topologicalOrder() {
        Map<String, List<Producer>> children = new HashMap<>();
        Map<Producer, Integer> waiting = new HashMap<>();
        Deque<Producer> ready = new ArrayDeque<>();
        for (Producer p : producers.values()) {
            Set<String> ups = new java.util.LinkedHashSet<>(p.upstreams());
            if (ups.isEmpty()) {
                ready.add(p);
            } else {
                waiting.put(p, ups.size());
                for (String up : ups) {
                    children.computeIfAbsent(up, k -> new ArrayList<>()).add(p);
                }
            }
        }
        List<Producer> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            Producer p = ready.poll();
            out.add(p);
            for (Producer c : children.getOrDefault(p.id(), List.of())) {
                if (waiting.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
