package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.runtime.RunCounters.Tracked;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * A running job's progress: row counts from the run's {@link RunCounters} (exact, and final once
 * the job ended), the lowest watermark and the last completed checkpoint from the tasks' and the
 * job manager's gauges (what the Web UI shows), read in this JVM.
 */
public final class JobMetrics {
    private final RunCounters counters;
    private final Map<String, String> sinkWhere;
    private volatile Snapshot last;

    /**
     * A point-in-time view of the job. {@code watermark} is Long.MIN_VALUE when none yet.
     *
     * @param counts rows per source, per sink, dropped as late per window, ...
     * @param sinkWhere sink id -> what it writes to (e.g. "jsonl out/")
     */
    public record Snapshot(
            RunCounters.Counts counts,
            Map<String, String> sinkWhere,
            long watermark,
            long checkpoints,
            long lastCheckpointAt) {

        /** Rows read by all sources: emitted, or dropped by a filter pushed down into them. */
        public long recordsIn() {
            return counts.total(Tracked.SOURCE_ROWS) + counts.total(Tracked.SOURCE_FILTERED);
        }

        /** Per source, rows it read and dropped itself by a pushed-down filter (only those > 0). */
        public List<Count> filteredInSources() {
            return list(Tracked.SOURCE_FILTERED).stream().filter(c -> c.rows() > 0).toList();
        }

        /** Rows written by all sinks (the sum over {@link #sinks()}). */
        public long recordsOut() {
            return counts.total(Tracked.SINK_ROWS);
        }

        /** Per source, rows read (emitted, or dropped by a filter pushed down into it). */
        public List<Count> sources() {
            Map<String, Long> filtered = counts.of(Tracked.SOURCE_FILTERED);
            List<Count> out = new ArrayList<>();
            counts.of(Tracked.SOURCE_ROWS)
                    .forEach((id, n) -> out.add(new Count(id, n + filtered.getOrDefault(id, 0L))));
            return out;
        }

        /** Per sink, in the pipeline's order: rows written and where. */
        public List<SinkCount> sinks() {
            List<SinkCount> out = new ArrayList<>();
            Map<String, Long> rows = counts.of(Tracked.SINK_ROWS);
            for (Map.Entry<String, String> e : sinkWhere.entrySet()) {
                out.add(new SinkCount(e.getKey(), e.getValue(), rows.getOrDefault(e.getKey(), 0L)));
            }
            rows.forEach(
                    (id, n) -> {
                        if (!sinkWhere.containsKey(id)) {
                            out.add(new SinkCount(id, "", n));
                        }
                    });
            return out;
        }

        /** Rows WASM stages sent to dead-letter streams. */
        public long deadLetters() {
            return counts.total(Tracked.DEAD_LETTERS);
        }

        /** Windows that dropped rows as late (only those with a drop), by stage id. */
        public List<Count> lateDropped() {
            return list(Tracked.LATE_DROPPED).stream().filter(c -> c.rows() > 0).toList();
        }

        /** Sources that skipped corrupt blocks (only those that skipped any), by source id. */
        public List<Count> corruptBlocks() {
            return list(Tracked.CORRUPT_BLOCKS).stream().filter(c -> c.rows() > 0).toList();
        }

        /**
         * Sources that read archives in order because their server has no range reads (only those
         * that did), by source id.
         */
        public List<Count> archivesReadInOrder() {
            return list(Tracked.ARCHIVES_IN_ORDER).stream().filter(c -> c.rows() > 0).toList();
        }

        private List<Count> list(Tracked kind) {
            List<Count> out = new ArrayList<>();
            counts.of(kind).forEach((id, n) -> out.add(new Count(id, n)));
            return out;
        }
    }

    /** Rows counted for one source, sink or stage. */
    public record Count(String id, long rows) {}

    /**
     * Rows that reached one sink's writer.
     *
     * @param where what the sink writes to, from its operator name (e.g. "jsonl out/")
     */
    public record SinkCount(String id, String where, long rows) {}

    /** "Sink: ID (WHERE)" in an operator name (WHERE optional, up to ": Writer"). */
    private static final Pattern SINK = Pattern.compile("Sink: (\\S+)(?: \\((.*)\\))?");

    public JobMetrics(RunCounters counters, StreamGraph graph) {
        this.counters = counters;
        this.sinkWhere = sinkWhere(graph);
    }

    /** Sink id -> what it writes to, from the sink operators' names (metrics truncate them). */
    static Map<String, String> sinkWhere(StreamGraph graph) {
        Map<String, String> out = new LinkedHashMap<>();
        List<StreamNode> nodes = new ArrayList<>(graph.getStreamNodes());
        nodes.sort(java.util.Comparator.comparingInt(StreamNode::getId));
        for (StreamNode n : nodes) {
            String name = n.getOperatorName();
            for (String suffix : List.of(": Writer", ": Committer")) {
                if (name.endsWith(suffix)) {
                    name = name.substring(0, name.length() - suffix.length());
                }
            }
            Matcher m = SINK.matcher(name);
            if (m.matches()) {
                out.putIfAbsent(m.group(1), m.group(2) == null ? "" : m.group(2));
            }
        }
        return out;
    }

    /** Counts, lowest watermark and checkpoints now, all read in this JVM (see RunCounters). */
    public Snapshot snapshot() {
        Snapshot s =
                new Snapshot(
                        counters.counts(),
                        sinkWhere,
                        counters.watermark(),
                        counters.checkpoints(),
                        counters.lastCheckpointAt());
        last = s;
        return s;
    }

    /**
     * The counts as they are now, with the watermark and checkpoints last read; after the job ended
     * these are its final counts.
     */
    public Snapshot counted() {
        Snapshot l = last;
        return new Snapshot(
                counters.counts(),
                sinkWhere,
                l == null ? Long.MIN_VALUE : l.watermark(),
                l == null ? 0 : l.checkpoints(),
                l == null ? 0 : l.lastCheckpointAt());
    }
}
