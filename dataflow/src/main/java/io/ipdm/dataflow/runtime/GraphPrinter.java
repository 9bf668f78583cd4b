package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import io.ipdm.dataflow.validate.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/** {@code ipdm explain}: the compiled graph as text or Graphviz dot. */
public final class GraphPrinter {
    private GraphPrinter() {}

    public static String text(CompiledPipeline plan) {
        PipelineSpec spec = plan.spec();
        StringBuilder b = new StringBuilder();
        b.append("pipeline ").append(spec.name());
        if (spec.description() != null) {
            b.append(": ").append(spec.description());
        }
        b.append('\n');
        RuntimeSpec r = spec.runtime();
        b.append("runtime: parallelism ")
                .append(r.parallelism())
                .append(", state ")
                .append(r.stateBackend().yaml())
                .append(", checkpoints ")
                .append(
                        r.checkpointInterval().isZero()
                                ? "off"
                                : "every "
                                        + Durations.format(r.checkpointInterval())
                                        + " to "
                                        + r.checkpointDir())
                .append("\n\nsources\n");
        int sw = 0;
        for (SourceSpec src : spec.sources()) {
            sw = Math.max(sw, src.id().length());
        }
        // what each source reads, so an explain with --set or --replay shows the swap
        for (SourceSpec src : spec.sources()) {
            b.append("  ").append(pad(src.id(), sw)).append("  ").append(src.kind());
            if (src.table() != null) {
                b.append(", table ").append(src.table());
            }
            if (src.options().get("path") != null) {
                b.append(", path ").append(src.options().get("path"));
            }
            b.append('\n');
        }
        b.append("\nstreams\n");
        int w = 0;
        for (String id : plan.compiled().streams().keySet()) {
            w = Math.max(w, id.length());
        }
        for (Map.Entry<String, TypedStream> e : plan.compiled().streams().entrySet()) {
            TypedStream s = e.getValue();
            b.append("  ").append(pad(e.getKey(), w));
            if (!s.keyFields().isEmpty()) {
                b.append("  key ").append(s.keyFields());
            }
            List<String> cols = new ArrayList<>();
            for (int i = 0; i < s.type().getArity(); i++) {
                cols.add(s.type().getFieldNames()[i] + " " + s.type().getTypeAt(i));
            }
            b.append("  (").append(String.join(", ", cols)).append(")\n");
        }
        windows(plan, b);
        b.append("\noperators (Flink stream graph)\n");
        List<StreamNode> nodes = nodes(plan.graph());
        int nw = 0;
        int uw = 0;
        for (StreamNode n : nodes) {
            nw = Math.max(nw, n.getOperatorName().length());
            uw = Math.max(uw, String.valueOf(n.getTransformationUID()).length());
        }
        for (StreamNode n : nodes) {
            b.append(String.format("  %3d  ", n.getId()))
                    .append(pad(n.getOperatorName(), nw))
                    .append("  uid ")
                    .append(pad(String.valueOf(n.getTransformationUID()), uw))
                    .append("  parallelism ")
                    .append(n.getParallelism());
            List<String> ins = new ArrayList<>();
            for (StreamEdge e : n.getInEdges()) {
                ins.add(e.getSourceId() + " (" + partitioner(e) + ")");
            }
            if (!ins.isEmpty()) {
                b.append("  <- ").append(String.join(", ", ins));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Each window stage: shape, keys, aggregates, the watermark of its input and what happens to
     * late rows.
     */
    private static void windows(CompiledPipeline plan, StringBuilder b) {
        boolean first = true;
        for (StageSpec stage : plan.spec().stages()) {
            if (!(stage instanceof StageSpec.Window w)) {
                continue;
            }
            if (first) {
                b.append("\nwindows\n");
                first = false;
            }
            WindowDef d = w.window();
            b.append("  ").append(w.id()).append(": ").append(d.type().yaml());
            switch (d.type()) {
                case TUMBLING -> b.append(" size ").append(Durations.format(d.size()));
                case HOPPING ->
                        b.append(" size ")
                                .append(Durations.format(d.size()))
                                .append(" slide ")
                                .append(Durations.format(d.slide()));
                case SESSION -> b.append(" gap ").append(Durations.format(d.gap()));
                case CUMULATIVE ->
                        b.append(" size ")
                                .append(Durations.format(d.size()))
                                .append(" step ")
                                .append(Durations.format(d.step()));
            }
            TypedStream out = plan.compiled().streams().get(w.id());
            TypedStream in = plan.compiled().streams().get(w.input());
            List<String> keys =
                    w.keyBy() != null ? w.keyBy() : in == null ? List.of() : in.keyFields();
            b.append("\n    key ").append(keys.isEmpty() ? "none (one window for all rows)" : keys);
            List<String> aggs = new ArrayList<>();
            for (AggregateDef a : w.aggregates()) {
                aggs.add(aggregate(a));
            }
            b.append("\n    aggregates ").append(String.join(", ", aggs));
            String how = windowDescription(plan, w.id());
            if (how != null) {
                b.append("\n    ").append(how);
            }
            EventTimeSpec et = out != null ? out.eventTime() : plan.spec().eventTime();
            b.append("\n    watermark ");
            if (et == null) {
                b.append("none");
            } else {
                b.append(et.field())
                        .append(" (")
                        .append(et.unit().yaml())
                        .append("), out-of-orderness ")
                        .append(Durations.format(et.maxOutOfOrderness()))
                        .append(", idle timeout ")
                        .append(
                                et.idleness() == null || et.idleness().isZero()
                                        ? "none"
                                        : Durations.format(et.idleness()));
            }
            b.append("\n    late rows: allowed lateness ")
                    .append(
                            d.allowedLateness() == null
                                    ? "0s"
                                    : Durations.format(d.allowedLateness()))
                    .append(", then ")
                    .append(
                            d.lateOutput() == null
                                    ? "dropped and counted (warned at the end of a run)"
                                    : "to stream '" + d.lateOutput() + "'")
                    .append('\n');
        }
    }

    /** Whether the window is pre-aggregated before its shuffle, as its operator describes it. */
    private static String windowDescription(CompiledPipeline plan, String stage) {
        for (StreamNode n : plan.graph().getStreamNodes()) {
            String uid = n.getTransformationUID();
            if ((stage + "-window").equals(uid) || (stage + "-window-rows").equals(uid)) {
                return n.getOperatorDescription();
            }
        }
        return null;
    }

    private static String aggregate(AggregateDef a) {
        return switch (a) {
            case AggregateDef.Wasm w ->
                    "wasm "
                            + w.module()
                            + "."
                            + w.function()
                            + (w.columns().isEmpty() ? "" : " -> " + w.columns().values());
            case AggregateDef.BuiltIn f -> {
                StringBuilder s = new StringBuilder();
                s.append(f.name() == null ? f.fn().yaml() : f.name())
                        .append(" = ")
                        .append(f.fn().yaml());
                s.append('(').append(f.field() == null ? "*" : f.field());
                if (f.k() != null) {
                    s.append(", k ").append(f.k());
                }
                if (f.quantiles() != null && !f.quantiles().isEmpty()) {
                    s.append(", ").append(f.quantiles());
                }
                s.append(')');
                boolean holistic =
                        f.fn() == AggregateDef.Fn.QUANTILES
                                || f.fn() == AggregateDef.Fn.COUNT_DISTINCT
                                || f.fn() == AggregateDef.Fn.TOP_K;
                if (holistic && f.mode() != null) {
                    s.append(' ').append(f.mode().yaml());
                }
                yield s.toString();
            }
        };
    }

    public static String dot(CompiledPipeline plan) {
        PipelineSpec spec = plan.spec();
        StringBuilder b = new StringBuilder();
        b.append("digraph \"").append(esc(spec.name())).append("\" {\n");
        b.append("  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
        for (StreamNode n : nodes(plan.graph())) {
            b.append("  n")
                    .append(n.getId())
                    .append(" [label=\"")
                    .append(esc(n.getOperatorName()))
                    .append("\\nuid ")
                    .append(esc(String.valueOf(n.getTransformationUID())))
                    .append("\\nparallelism ")
                    .append(n.getParallelism())
                    .append("\"];\n");
        }
        for (StreamNode n : nodes(plan.graph())) {
            for (StreamEdge e : n.getInEdges()) {
                b.append("  n")
                        .append(e.getSourceId())
                        .append(" -> n")
                        .append(n.getId())
                        .append(" [label=\"")
                        .append(partitioner(e))
                        .append("\"];\n");
            }
        }
        return b.append("}\n").toString();
    }

    private static List<StreamNode> nodes(StreamGraph g) {
        return new ArrayList<>(g.getStreamNodesSortedTopologicallyFromSources());
    }

    private static String partitioner(StreamEdge e) {
        String p = String.valueOf(e.getPartitioner()).toLowerCase(java.util.Locale.ROOT);
        return e.getOutputTag() == null ? p : p + ", side output " + e.getOutputTag().getId();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
