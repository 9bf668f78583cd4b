package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineGraph;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks how the parts of a parsed pipeline refer to each other: unique ids, inputs that exist, no
 * cycles, windows only where event time is defined, wasm stages naming declared modules.
 */
public final class GraphValidator {
    /**
     * The longest chain of streams from a source. Flink builds its stream and job graphs
     * recursively along a chain, so a much longer one ends in a StackOverflowError there.
     */
    public static final int MAX_DEPTH = 1_000;

    private final PipelineGraph graph;
    private final PipelineSpec spec;
    private final SourceMap map;
    private final List<PipelineError> errors = new ArrayList<>();

    private GraphValidator(PipelineGraph graph, SourceMap map) {
        this.graph = graph;
        this.spec = graph.spec();
        this.map = map;
    }

    /** Builds the graph of {@code spec} and checks it; the graph when there is no error. */
    public static PipelineGraph validate(PipelineSpec spec, SourceMap map) {
        GraphValidator v = new GraphValidator(PipelineGraph.of(spec), map);
        v.run();
        if (!v.errors.isEmpty()) {
            throw new PipelineException(v.errors);
        }
        return v.graph;
    }

    private void run() {
        for (PipelineGraph.Conflict c : graph.conflicts()) {
            switch (c.rejected()) {
                case PipelineGraph.SideOutput side ->
                        errors.add(
                                map.error(
                                        side.path(),
                                        "id '"
                                                + side.id()
                                                + "' is already used by another source or stage"));
                case PipelineGraph.Source s ->
                        errors.add(map.error("sources[" + c.index() + "]", duplicate(s.id())));
                case PipelineGraph.Stage s ->
                        errors.add(map.error("stages[" + c.index() + "]", duplicate(s.id())));
            }
        }
        Set<String> sinkIds = new LinkedHashSet<>();
        for (int i = 0; i < spec.sinks().size(); i++) {
            SinkSpec s = spec.sinks().get(i);
            if (!sinkIds.add(s.id())) {
                errors.add(map.error("sinks[" + i + "]", "duplicate sink id '" + s.id() + "'"));
            }
        }
        Set<String> moduleIds = new LinkedHashSet<>();
        for (int i = 0; i < spec.modules().size(); i++) {
            ModuleSpec m = spec.modules().get(i);
            if (!moduleIds.add(m.id())) {
                errors.add(map.error("modules[" + i + "]", "duplicate module id '" + m.id() + "'"));
            }
        }
        for (StageSpec s : spec.stages()) {
            if (s instanceof StageSpec.Sql sql) {
                for (int i = 0; i < sql.inputs().size(); i++) {
                    checkInput(
                            stagePath(s)
                                    + ".input"
                                    + (sql.inputs().size() > 1 ? "[" + i + "]" : ""),
                            sql.inputs().get(i),
                            s.id());
                }
            } else {
                checkInput(stagePath(s) + ".input", s.input(), s.id());
            }
            if (s instanceof StageSpec.Wasm w
                    && w.module() != null
                    && !moduleIds.contains(w.module())) {
                errors.add(
                        map.error(stagePath(s) + ".module", unknownModule(w.module(), moduleIds)));
            }
        }
        for (StageSpec s : spec.stages()) {
            if (s instanceof StageSpec.Window w) {
                for (int i = 0; i < w.aggregates().size(); i++) {
                    if (w.aggregates().get(i) instanceof AggregateDef.Wasm a
                            && a.module() != null
                            && !moduleIds.contains(a.module())) {
                        errors.add(
                                map.error(
                                        stagePath(s) + ".aggregates[" + i + "].wasm",
                                        unknownModule(a.module(), moduleIds)));
                    }
                }
            }
        }
        for (SinkSpec s : spec.sinks()) {
            checkInput("sinks." + s.id() + ".input", s.input(), null);
        }
        if (errors.isEmpty()) {
            for (List<String> cycle : graph.cycles()) {
                PipelineGraph.Producer first = graph.producer(cycle.get(0));
                String path =
                        first instanceof PipelineGraph.SideOutput side
                                ? stagePath(side.owner()) + ".input"
                                : stagePath(((PipelineGraph.Stage) first).spec()) + ".input";
                errors.add(map.error(path, "cycle: " + String.join(" -> ", cycle)));
            }
        }
        if (errors.isEmpty()) {
            checkDepth();
        }
        if (errors.isEmpty()) {
            for (StageSpec s : spec.stages()) {
                if (s instanceof StageSpec.Window w) {
                    SourceSpec root = graph.rootSource(w.input());
                    if (root != null && root.eventTime() == null && spec.eventTime() == null) {
                        errors.add(
                                map.error(
                                        stagePath(w) + ".window",
                                        "a window needs event time, but source '"
                                                + root.id()
                                                + "' has none; add event_time: {field: block_time, unit: seconds} to the pipeline or to the source"));
                    }
                }
            }
        }
    }

    /** Reports the first stream (in topological order) deeper than {@link #MAX_DEPTH}. */
    private void checkDepth() {
        Map<String, Integer> depth = new HashMap<>();
        for (PipelineGraph.Producer p : graph.order()) {
            int d = p.upstream() == null ? 0 : depth.get(p.upstream()) + 1;
            depth.put(p.id(), d);
            if (d > MAX_DEPTH && p instanceof PipelineGraph.Stage st) {
                errors.add(
                        map.error(
                                stagePath(st.spec()) + ".input",
                                "stage '"
                                        + st.id()
                                        + "' is "
                                        + d
                                        + " stages after its source; a chain may be at most "
                                        + MAX_DEPTH
                                        + " long (Flink builds its job graph recursively); split"
                                        + " the pipeline or merge filters"));
                return;
            }
        }
    }

    /**
     * Mistakes that do not stop a run: a WASM stage with {@code on_failure: dead_letter} whose
     * dead-letter stream nothing reads (its failed rows would vanish; {@code ipdm run} still counts
     * them). Printed by {@code ipdm validate} and {@code ipdm run} as warnings.
     */
    public static List<PipelineError> warnings(PipelineGraph graph, SourceMap map) {
        List<PipelineError> warnings = new ArrayList<>();
        for (StageSpec s : graph.spec().stages()) {
            if (s instanceof StageSpec.Wasm w && w.routesDeadLetters()) {
                String dl = w.deadLetterStream();
                if (graph.sinksReading(dl).isEmpty() && graph.stagesReading(dl).isEmpty()) {
                    warnings.add(
                            map.error(
                                    stagePath(s) + ".options." + StageSpec.Wasm.ON_FAILURE,
                                    "failed rows go to the dead-letter stream '"
                                            + dl
                                            + "' but no sink or stage reads it, so they are"
                                            + " dropped (ipdm run counts them); add a sink with"
                                            + " input: "
                                            + dl));
                }
            }
        }
        return warnings;
    }

    private static String duplicate(String id) {
        return "duplicate id '" + id + "'; ids of sources and stages must be unique";
    }

    private void checkInput(String path, String input, String self) {
        if (input == null || graph.producer(input) != null) {
            return;
        }
        List<String> known = new ArrayList<>(graph.producers().keySet());
        known.remove(self);
        String near = Suggest.closest(input, known);
        String hint = "";
        for (StageSpec s : spec.stages()) {
            if (s instanceof StageSpec.Wasm w
                    && !w.routesDeadLetters()
                    && w.deadLetterStream().equals(input)) {
                hint =
                        "; stage '"
                                + w.id()
                                + "' emits its dead letters only with options.on_failure:"
                                + " dead_letter";
                near = null;
            }
        }
        errors.add(
                map.error(
                        path,
                        "unknown input '"
                                + input
                                + "'"
                                + (near == null ? "" : " (did you mean '" + near + "'?)")
                                + "; known ids: "
                                + String.join(", ", known)
                                + hint));
    }

    static String stagePath(StageSpec s) {
        return "stages." + s.id();
    }

    private static String unknownModule(String id, Set<String> moduleIds) {
        return "unknown module '"
                + id
                + "'; declared modules: "
                + (moduleIds.isEmpty()
                        ? "none (add a modules: section)"
                        : String.join(", ", moduleIds));
    }
}
