package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks how the parts of a parsed pipeline refer to each other: unique ids, inputs that exist, no
 * cycles, windows only where event time is defined, wasm stages naming declared modules.
 */
public final class GraphValidator {
    private final PipelineSpec spec;
    private final SourceMap map;
    private final List<PipelineError> errors = new ArrayList<>();

    /** Stream id -> what produces it: a SourceSpec, a StageSpec, or a window's late output. */
    private final Map<String, Object> producers = new LinkedHashMap<>();

    private GraphValidator(PipelineSpec spec, SourceMap map) {
        this.spec = spec;
        this.map = map;
    }

    public static void validate(PipelineSpec spec, SourceMap map) {
        GraphValidator v = new GraphValidator(spec, map);
        v.run();
        if (!v.errors.isEmpty()) {
            throw new PipelineException(v.errors);
        }
    }

    /** The window stage a late output belongs to. */
    private record LateOutput(StageSpec.Window window) {}

    private void run() {
        for (int i = 0; i < spec.sources().size(); i++) {
            SourceSpec s = spec.sources().get(i);
            define(s.id(), s, "sources", i);
        }
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            define(s.id(), s, "stages", i);
        }
        for (StageSpec s : spec.stages()) {
            if (s instanceof StageSpec.Window w
                    && w.window() != null
                    && w.window().lateOutput() != null) {
                String late = w.window().lateOutput();
                if (producers.containsKey(late)) {
                    errors.add(
                            map.error(
                                    stagePath(w) + ".window.late_output",
                                    "id '"
                                            + late
                                            + "' is already used by another source or stage"));
                } else {
                    producers.put(late, new LateOutput(w));
                }
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
            checkInput(stagePath(s) + ".input", s.input(), s.id());
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
                    AggregateDef.WasmAggregate a = w.aggregates().get(i).wasm();
                    if (a != null && a.module() != null && !moduleIds.contains(a.module())) {
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
            checkCycles();
        }
        if (errors.isEmpty()) {
            for (StageSpec s : spec.stages()) {
                if (s instanceof StageSpec.Window w) {
                    SourceSpec root = rootSource(w.input());
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

    private void define(String id, Object producer, String list, int index) {
        if (producers.containsKey(id)) {
            errors.add(
                    map.error(
                            list + "[" + index + "]",
                            "duplicate id '" + id + "'; ids of sources and stages must be unique"));
        } else {
            producers.put(id, producer);
        }
    }

    private void checkInput(String path, String input, String self) {
        if (input == null || producers.containsKey(input)) {
            return;
        }
        List<String> known = new ArrayList<>(producers.keySet());
        known.remove(self);
        String near = Suggest.closest(input, known);
        errors.add(
                map.error(
                        path,
                        "unknown input '"
                                + input
                                + "'"
                                + (near == null ? "" : " (did you mean '" + near + "'?)")
                                + "; known ids: "
                                + String.join(", ", known)));
    }

    private void checkCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (StageSpec s : spec.stages()) {
            List<String> trail = new ArrayList<>();
            String cur = s.id();
            if (state.containsKey(cur)) {
                continue;
            }
            while (cur != null) {
                if (trail.contains(cur)) {
                    List<String> cycle =
                            new ArrayList<>(trail.subList(trail.indexOf(cur), trail.size()));
                    cycle.add(cur);
                    StageSpec first = (StageSpec) producers.get(cur);
                    errors.add(
                            map.error(
                                    stagePath(first) + ".input",
                                    "cycle: " + String.join(" -> ", cycle)));
                    break;
                }
                if (state.containsKey(cur)) {
                    break;
                }
                trail.add(cur);
                Object p = producers.get(cur);
                cur =
                        switch (p) {
                            case StageSpec st -> st.input();
                            case LateOutput l -> l.window().id();
                            default -> null;
                        };
            }
            for (String t : trail) {
                state.put(t, 1);
            }
        }
    }

    private SourceSpec rootSource(String id) {
        Set<String> seen = new LinkedHashSet<>();
        String cur = id;
        while (cur != null && seen.add(cur)) {
            Object p = producers.get(cur);
            switch (p) {
                case SourceSpec s -> {
                    return s;
                }
                case StageSpec st -> cur = st.input();
                case LateOutput l -> cur = l.window().input();
                case null, default -> {
                    return null;
                }
            }
        }
        return null;
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
