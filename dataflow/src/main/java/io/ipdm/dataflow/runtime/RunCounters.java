package io.ipdm.dataflow.runtime;

import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.operators.wasm.WasmOperators;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The counters of one embedded run, read in the JVM that runs it: a Flink metric reporter keeps a
 * reference to every counter {@link Tracked} names as its task registers it, and the last value of
 * each when its task ends. So the totals are exact at the end of the run (the REST API forgets the
 * metrics of tasks that finished, which made the summary of a bounded job undercount).
 *
 * <p>To count something new, add a {@link Tracked} constant: the Flink metric name and the operator
 * names it is read from, with the id (source, sink or stage) as the first group.
 */
public final class RunCounters {
    /** Counters read per pipeline element. */
    public enum Tracked {
        /** Rows a source emitted (its operator is named "Source: ID"). */
        SOURCE_ROWS("numRecordsOut", "Source: (\\S+).*"),
        /** Rows that reached a sink's writer ("Sink: ID (WHERE)", not its committer). */
        SINK_ROWS("numRecordsIn", "Sink: (\\S++)(?!.*Committer).*"),
        /**
         * Rows a window dropped as late: after its end plus allowed lateness, with no {@code
         * late_output} to keep them (Flink's WindowOperator counts these).
         */
        LATE_DROPPED("numLateRecordsDropped", "[a-z]+ window (\\S+)"),
        /** Rows a WASM stage sent to its dead-letter stream ("wasm MODULE.FUNCTION"). */
        DEAD_LETTERS(WasmOperators.DEAD_LETTERS, "wasm (\\S+)"),
        /** Blocks a Solana source skipped as corrupt ({@code on_corrupt_block: skip}). */
        CORRUPT_BLOCKS("corruptBlocks", "Source: (\\S+).*"),
        /**
         * Rows a source read but dropped itself, by a filter pushed down into it (they count as
         * read: the rows a source read are these plus the rows it emitted).
         */
        SOURCE_FILTERED(FilteredRows.METRIC, "Source: (\\S+).*"),
        /** Archives a source read in order, not range-parallel: their server has no range reads. */
        ARCHIVES_IN_ORDER(ArchiveReader.READ_IN_ORDER_METRIC, "Source: (\\S+).*");

        private final String metric;
        private final Pattern operator;

        Tracked(String metric, String operator) {
            this.metric = metric;
            this.operator = Pattern.compile(operator);
        }

        /** The id this counter belongs to, or null when it is not this kind's. */
        String id(String metricName, String operatorName) {
            if (!metric.equals(metricName) || operatorName == null) {
                return null;
            }
            Matcher m = operator.matcher(operatorName);
            return m.matches() ? m.group(1) : null;
        }
    }

    /**
     * Totals per id, for each {@link Tracked} counter, ids in the order first seen.
     *
     * @param values kind -> id -> total over subtasks
     */
    public record Counts(Map<Tracked, Map<String, Long>> values) {
        public static final Counts NONE = new Counts(Map.of());

        public Map<String, Long> of(Tracked kind) {
            return values.getOrDefault(kind, Map.of());
        }

        public long total(Tracked kind) {
            return of(kind).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String REPORTER = "metrics.reporter.ipdm_counters.";
    private static final Map<String, RunCounters> RUNS = new ConcurrentHashMap<>();

    private final String runId = UUID.randomUUID().toString();
    private final Map<String, String> operatorNames;
    // kind -> "id/subtask" -> the counter (replaced by a fixed copy when its task ends)
    private final Map<Tracked, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    // first-seen order of ids per kind
    private final Map<Tracked, Map<String, Boolean>> order = new ConcurrentHashMap<>();
    // the input watermark of every running task that has inputs (not sources), by its gauge
    private final Set<Gauge<?>> inputWatermarks = ConcurrentHashMap.newKeySet();
    // the job manager's checkpoint gauges, by metric name (see CHECKPOINTS, CHECKPOINTED_AT)
    private final Map<String, Gauge<?>> checkpointGauges = new ConcurrentHashMap<>();

    /** Flink's task-level gauge: the lowest watermark over the task's inputs. */
    static final String INPUT_WATERMARK = "currentInputWatermark";

    /** The job manager's count of completed checkpoints. */
    static final String CHECKPOINTS = "numberOfCompletedCheckpoints";

    /** When the last checkpoint completed (epoch ms; -1 before the first). */
    static final String CHECKPOINTED_AT = "lastCheckpointCompletedTimestamp";

    /**
     * @param graph the job's stream graph: metrics carry operator names cut to 80 characters (a
     *     sink's writer and committer then look alike), so names are looked up by operator id
     */
    public RunCounters(StreamGraph graph) {
        Map<String, String> names = new ConcurrentHashMap<>();
        Map<Integer, byte[]> hashes =
                new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(graph);
        for (StreamNode n : graph.getStreamNodes()) {
            byte[] hash = hashes.get(n.getId());
            String id =
                    n.getUserHash() != null
                            ? n.getUserHash()
                            : hash == null ? null : new OperatorID(hash).toHexString();
            if (id != null && n.getOperatorName() != null) {
                names.put(id, n.getOperatorName());
            }
        }
        this.operatorNames = names;
    }

    /** Registers this run so the reporter in {@code conf} feeds it; call {@link #close()} after. */
    public void apply(Configuration conf) {
        RUNS.put(runId, this);
        set(conf, REPORTER + "factory.class", Factory.class.getName());
        set(conf, REPORTER + "run", runId);
    }

    private static void set(Configuration c, String key, String value) {
        c.set(ConfigOptions.key(key).stringType().noDefaultValue(), value);
    }

    public void close() {
        RUNS.remove(runId);
    }

    /** The current totals; final once the job has ended. */
    public Counts counts() {
        Map<Tracked, Map<String, Long>> out = new EnumMap<>(Tracked.class);
        for (Tracked kind : Tracked.values()) {
            Map<String, Boolean> ids = order.get(kind);
            if (ids == null) {
                continue;
            }
            Map<String, Long> totals = new LinkedHashMap<>();
            for (String id : ids.keySet()) {
                totals.put(id, 0L);
            }
            for (Map.Entry<String, Counter> e : counters.get(kind).entrySet()) {
                String id = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
                totals.merge(id, e.getValue().getCount(), Long::sum);
            }
            out.put(kind, Collections.unmodifiableMap(totals));
        }
        return new Counts(Collections.unmodifiableMap(out));
    }

    private String operator(Map<String, String> vars) {
        String id = vars.get("<operator_id>");
        return id == null
                ? vars.get("<operator_name>")
                : operatorNames.getOrDefault(id, vars.get("<operator_name>"));
    }

    /**
     * The lowest input watermark over the running tasks that have inputs (what the Web UI shows per
     * vertex), or Long.MIN_VALUE when there is none yet. Read in this JVM: no REST call, so the
     * progress line does not make Flink's metric fetcher collect every metric of every task.
     */
    public long watermark() {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (Gauge<?> g : inputWatermarks) {
            if (g.getValue() instanceof Long w) {
                min = Math.min(min, w);
                any = true;
            }
        }
        return any ? min : Long.MIN_VALUE;
    }

    /**
     * Whether every running task with inputs has seen the final watermark, Long.MAX_VALUE, which
     * sources send only once all their input is read: all rows have then reached the sinks, and the
     * tasks are finishing (a bounded job at its end). False while no such task runs.
     */
    public boolean inputsEnded() {
        boolean any = false;
        for (Gauge<?> g : inputWatermarks) {
            if (!(g.getValue() instanceof Long w) || w != Long.MAX_VALUE) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Completed checkpoints so far (0 before the job manager registered its gauges). */
    public long checkpoints() {
        return gaugeLong(CHECKPOINTS, 0);
    }

    /** When the last checkpoint completed (epoch ms), or 0 before the first. */
    public long lastCheckpointAt() {
        return Math.max(0, gaugeLong(CHECKPOINTED_AT, 0));
    }

    private long gaugeLong(String name, long none) {
        Gauge<?> g = checkpointGauges.get(name);
        return g != null && g.getValue() instanceof Number n ? n.longValue() : none;
    }

    private void addedGauge(Gauge<?> gauge, String name, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        if (name.equals(INPUT_WATERMARK)) {
            // the task's gauge (an operator's has an operator id); sources have no inputs
            String task = vars.get("<task_name>");
            if (task != null
                    && !vars.containsKey("<operator_id>")
                    && !task.startsWith("Source: ")) {
                inputWatermarks.add(gauge);
            }
        } else if ((name.equals(CHECKPOINTS) || name.equals(CHECKPOINTED_AT))
                && !vars.containsKey("<task_name>")) {
            checkpointGauges.put(name, gauge);
        }
    }

    private void added(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> gauge) {
            addedGauge(gauge, name, group);
            return;
        }
        if (!(metric instanceof Counter counter)) {
            return;
        }
        Map<String, String> vars = group.getAllVariables();
        String operator = operator(vars);
        for (Tracked kind : Tracked.values()) {
            String id = kind.id(name, operator);
            if (id != null) {
                order.computeIfAbsent(kind, k -> Collections.synchronizedMap(new LinkedHashMap<>()))
                        .putIfAbsent(id, true);
                // a restarted task registers again: its counter replaces the failed attempt's
                counters.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                        .put(id + "/" + vars.get("<subtask_index>"), counter);
            }
        }
    }

    private void removed(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> gauge) {
            inputWatermarks.remove(gauge);
            checkpointGauges.values().remove(gauge);
            return;
        }
        if (!(metric instanceof Counter counter)) {
            return;
        }
        Map<String, String> vars = group.getAllVariables();
        String operator = operator(vars);
        for (Tracked kind : Tracked.values()) {
            String id = kind.id(name, operator);
            if (id != null) {
                long last = counter.getCount();
                counters.get(kind)
                        .computeIfPresent(
                                id + "/" + vars.get("<subtask_index>"),
                                (k, c) -> c == counter ? new Fixed(last) : c);
            }
        }
    }

    /** A finished task's counter value. */
    private record Fixed(long getCount) implements Counter {
        @Override
        public void inc() {}

        @Override
        public void inc(long n) {}

        @Override
        public void dec() {}

        @Override
        public void dec(long n) {}
    }

    /** Flink instantiates reporters from {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter(properties.getProperty("run"));
        }
    }

    /** Forwards registrations to the run's {@link RunCounters} (none once it is closed). */
    static final class Reporter implements MetricReporter {
        private final String runId;

        Reporter(String runId) {
            this.runId = runId;
        }

        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            RunCounters run = RUNS.get(runId);
            if (run != null) {
                run.added(metric, name, group);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
            RunCounters run = RUNS.get(runId);
            if (run != null) {
                run.removed(metric, name, group);
            }
        }
    }
}
