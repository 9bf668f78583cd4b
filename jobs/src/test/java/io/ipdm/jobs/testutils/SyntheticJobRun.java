package io.ipdm.jobs.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Runs an example job on 3 minutes of the synthetic chain (flat out, 100 tx per slot) with its
 * {@code table} sink swapped for JSON Lines, and returns the window rows it wrote.
 */
public final class SyntheticJobRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticJobRun() {}

    public static List<JsonNode> run(Path job, String source, Path tmp) throws Exception {
        return run(job, source, tmp, List.of());
    }

    /** As {@link #run(Path, String, Path)}, with more {@code --set} overrides. */
    public static List<JsonNode> run(Path job, String source, Path tmp, List<String> overrides)
            throws Exception {
        RunResult r = start(job, source, tmp, overrides, RunOptions.defaults());
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        return rows(tmp);
    }

    /** Runs the job to its end (or as {@code options} say) with its sink writing under tmp. */
    public static RunResult start(
            Path job, String source, Path tmp, List<String> overrides, RunOptions options)
            throws Exception {
        String src = "sources." + source + ".options.";
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                src + "duration=3m",
                                src + "target_rate=0",
                                src + "transactions_per_slot=100",
                                "sinks.table.kind=jsonl",
                                "sinks.table.options=",
                                "sinks.table.options.path=" + tmp.resolve("out"),
                                "runtime.checkpoint_interval=1s",
                                "runtime.state_dir=" + tmp.resolve("state")));
        sets.addAll(overrides);
        return runToEnd(PipelineLoader.load(job, sets, Map.of()), tmp, options);
    }

    /** Runs a loaded job on a MiniCluster (without progress lines) until it ends. */
    public static RunResult runToEnd(PipelineLoader.Loaded loaded, Path tmp, RunOptions options)
            throws Exception {
        return runToEnd(loaded, tmp, options, null);
    }

    /**
     * As {@link #runToEnd(PipelineLoader.Loaded, Path, RunOptions)}, with {@code tap} (when not
     * null) applied to every source's stream, as {@code FailOnce.afterSource} taps it.
     */
    public static RunResult runToEnd(
            PipelineLoader.Loaded loaded,
            Path tmp,
            RunOptions options,
            UnaryOperator<TypedStream> tap)
            throws Exception {
        CompiledPipeline plan =
                tap == null
                        ? CompiledPipeline.compile(loaded, tmp)
                        : CompiledPipeline.compile(loaded, tmp, tap);
        try (LocalRunner runner = new LocalRunner(plan, options.withProgress(false))) {
            runner.start();
            return runner.await();
        }
    }

    /** The window rows the job's sink committed under tmp. */
    public static List<JsonNode> rows(Path tmp) throws IOException {
        List<JsonNode> rows = committed(tmp.resolve("out"));
        assertThat(rows).isNotEmpty();
        return rows;
    }

    /** The rows as text, sorted: two runs' rows compare equal whatever their order. */
    public static List<String> sorted(List<JsonNode> rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : rows) {
            out.add(n.toString());
        }
        out.sort(null);
        return out;
    }

    /** The rows committed in JSON Lines files under {@code out} (in-progress files skipped). */
    public static List<JsonNode> committed(Path out) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f :
                    files.filter(
                                    p ->
                                            p.toString().endsWith(".jsonl")
                                                    && !p.getFileName().toString().startsWith("."))
                            .toList()) {
                for (String line : Files.readAllLines(f)) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        return rows;
    }
}
