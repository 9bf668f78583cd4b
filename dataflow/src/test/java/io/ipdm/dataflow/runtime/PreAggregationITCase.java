package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.testing.IpdmProcess;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window pre-aggregation before the shuffle ({@code runtime.pre_aggregate}, on by default) in whole
 * pipelines: late rows within and beyond the allowed lateness are handled as without it (updates,
 * {@code late_output}, the late-drop count), and a job stopped with a savepoint, failed and
 * restarted from a checkpoint, or killed with {@code kill -9} and restarted from its latest
 * checkpoint, writes the same windows as an uninterrupted run without pre-aggregation.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PreAggregationITCase {
    /**
     * Seeded late rows (2% moved back 100 s) against 1-minute windows with 1 minute of allowed
     * lateness: some update their window, some are too late. Per-event watermarks at parallelism 1,
     * so which rows are late depends only on input order.
     */
    static final String LATE =
            """
            name: pre-aggregate-late
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 2s, watermarks: per_event}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 3, slots: 600, transactions_per_slot: 30, late_fraction: 0.02, late_by: 100s}
            stages:
              - {id: per_program, kind: explode, input: txs, field: program_ids, as: program_id}
              - id: per_minute
                kind: window
                input: per_program
                key_by: [program_id]
                window: {type: tumbling, size: 1m, allowed_lateness: 1m LATE_OUTPUT}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
                  - {name: max_cu, fn: max, field: compute_units}
                  - {name: first_payer, fn: first, field: fee_payer}
            sinks:
              - {id: out, kind: jsonl, input: per_minute, options: {path: "${OUT}/windows"}}
            LATE_SINK
            runtime: {parallelism: 1, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    static RunResult runLate(Path dir, boolean preAggregate, boolean keepLate) throws Exception {
        String yaml =
                LATE.replace("LATE_OUTPUT", keepLate ? ", late_output: too_late" : "")
                        .replace(
                                "LATE_SINK",
                                keepLate
                                        ? "  - {id: late, kind: jsonl, input: too_late, options:"
                                                + " {path: \"${OUT}/late\"}}"
                                        : "");
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        yaml,
                        "late.yaml",
                        List.of("runtime.pre_aggregate=" + preAggregate),
                        Map.of(
                                "OUT", dir.resolve("out").toString(),
                                "STATE", dir.resolve("state").toString()));
        CompiledPipeline plan = CompiledPipeline.compile(loaded, dir);
        assertThat(combined(plan)).isEqualTo(preAggregate);
        RunResult r = InterruptedRuns.run(plan, RunOptions.defaults());
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        return r;
    }

    static boolean combined(CompiledPipeline plan) {
        for (StreamNode n : plan.graph().getStreamNodes()) {
            if ("per_minute-combine".equals(n.getTransformationUID())) {
                return true;
            }
        }
        return false;
    }

    /** Rows of JSON Lines files as text (with their "_op" change kind), sorted. */
    static List<String> lines(Path dir) {
        List<String> rows = new ArrayList<>();
        for (JsonNode n : JsonLinesFiles.read(dir)) {
            rows.add(n.toString());
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void lateRowsUpdateGoToLateOutputOrAreCountedAsWithout(@TempDir Path tmp) throws Exception {
        runLate(tmp.resolve("off"), false, true);
        runLate(tmp.resolve("on"), true, true);
        List<String> windows = lines(tmp.resolve("off/out/windows"));
        List<String> late = lines(tmp.resolve("off/out/late"));
        assertThat(windows).as("late rows re-fired windows").anyMatch(r -> r.contains("\"+U\""));
        assertThat(late).as("rows beyond the allowed lateness").isNotEmpty();
        assertThat(lines(tmp.resolve("on/out/windows"))).isEqualTo(windows);
        assertThat(lines(tmp.resolve("on/out/late"))).isEqualTo(late);

        RunResult off = runLate(tmp.resolve("off-drop"), false, false);
        RunResult on = runLate(tmp.resolve("on-drop"), true, false);
        assertThat(off.metrics().lateDropped())
                .containsExactly(new JobMetrics.Count("per_minute", late.size()));
        assertThat(on.metrics().lateDropped()).isEqualTo(off.metrics().lateDropped());
        assertThat(on.warnings()).isEqualTo(off.warnings());
        assertThat(lines(tmp.resolve("on-drop/out/windows")))
                .isEqualTo(lines(tmp.resolve("off-drop/out/windows")))
                .isEqualTo(windows);
    }

    /** {@link ExactlyOnceITCase}'s job with aggregates that merge exactly (so pre-aggregated). */
    static final String EXACTLY_ONCE =
            ExactlyOnceITCase.PIPELINE.replace(
                    "- {name: payers, fn: count_distinct, field: fee_payer, mode: exact}",
                    "- {name: max_cu, fn: max, field: compute_units}");

    static PipelineLoader.Loaded exactlyOnce(Path out, Path state, boolean preAggregate) {
        assertThat(EXACTLY_ONCE).contains("max_cu");
        return PipelineLoader.parse(
                EXACTLY_ONCE,
                "exactly-once.yaml",
                List.of("runtime.pre_aggregate=" + preAggregate),
                Map.of("OUT", out.toString(), "STATE", state.toString()));
    }

    @TempDir static Path shared;
    static List<String> uninterrupted;

    /** The reference: run once, uninterrupted, without pre-aggregation. */
    @BeforeAll
    static void runUninterruptedWithout() throws Exception {
        Path whole = shared.resolve("whole");
        CompiledPipeline plan =
                CompiledPipeline.compile(
                        exactlyOnce(whole, shared.resolve("state"), false), shared);
        assertThat(combined(plan)).isFalse();
        RunResult r = InterruptedRuns.run(plan, RunOptions.defaults());
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.FINISHED);
        uninterrupted = lines(whole.resolve("jsonl"));
        assertThat(uninterrupted).hasSizeGreaterThan(20);
    }

    @Test
    void savepointTakenWithoutResumedWithEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        // stopped with pre-aggregation off, resumed with it on: the window's state is the same
        RunResult first =
                InterruptedRuns.run(
                        CompiledPipeline.compile(exactlyOnce(out, tmp.resolve("s"), false), tmp),
                        RunOptions.defaults().withStopAfter(Duration.ofSeconds(10)));
        assertThat(first.outcome())
                .as("failure: %s", first.failure())
                .isEqualTo(RunResult.Outcome.STOPPED);
        int before = lines(out.resolve("jsonl")).size();
        assertThat(before).isLessThan(uninterrupted.size());
        CompiledPipeline on =
                CompiledPipeline.compile(exactlyOnce(out, tmp.resolve("s"), true), tmp);
        assertThat(combined(on)).isTrue();
        RunResult second =
                InterruptedRuns.run(on, RunOptions.defaults().withFromSavepoint(first.savepoint()));
        assertThat(second.outcome())
                .as("failure: %s", second.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(lines(out.resolve("jsonl"))).isEqualTo(uninterrupted);
    }

    @Test
    void stopWithSavepointAndResumeThroughTheCombiner(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        int before =
                InterruptedRuns.stopWithSavepointAndResume(
                        exactlyOnce(out, tmp.resolve("s"), true),
                        tmp,
                        Duration.ofSeconds(10),
                        () -> lines(out.resolve("jsonl")).size());
        assertThat(before).isLessThan(uninterrupted.size());
        assertThat(lines(out.resolve("jsonl"))).isEqualTo(uninterrupted);
    }

    @Test
    void failureMidRunRestartsThroughTheCombinerWithSameResults(@TempDir Path tmp)
            throws Exception {
        Path out = tmp.resolve("out");
        InterruptedRuns.failOnceAndFinish(
                exactlyOnce(out, tmp.resolve("s"), true), tmp, "txs", 20_000);
        assertThat(lines(out.resolve("jsonl"))).isEqualTo(uninterrupted);
    }

    /**
     * {@code ipdm run} in its own JVM, paced, killed with {@code kill -9} once it retained a
     * checkpoint, restarted with {@code --from-latest-checkpoint}: the same windows.
     */
    @Test
    void killedAndRestartedThroughTheCombinerEqualsUninterrupted(@TempDir Path tmp)
            throws Exception {
        Path job = tmp.resolve("job.yaml");
        Files.writeString(
                job,
                EXACTLY_ONCE
                        .replace("${OUT}", tmp.resolve("out").toAbsolutePath().toString())
                        .replace("${STATE}", tmp.resolve("state").toAbsolutePath().toString())
                        .replace(
                                "restart: {strategy: fixed-delay, attempts: 2, delay: 500ms}",
                                "restart: {strategy: none}"));
        Path checkpoints = tmp.resolve("state/checkpoints");
        IpdmProcess.killMidRun(tmp, job, checkpoints, "numRecordsOut", 60_000);
        List<String> early = lines(tmp.resolve("out/jsonl"));
        assertThat(early).as("the kill came before the end").hasSizeLessThan(uninterrupted.size());
        String log = IpdmProcess.restart(tmp, job, checkpoints);
        assertThat(lines(tmp.resolve("out/jsonl"))).as(log).isEqualTo(uninterrupted);
    }
}
