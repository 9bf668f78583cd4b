package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the progress line and the end-of-run summary read: the job's rows in and, per sink, rows
 * written and where, polled as the progress line does (every second), with each sink counted once.
 */
class ProgressITCase {
    static final String PIPELINE =
            """
            name: progress
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 9, duration: 3m, transactions_per_slot: 40, target_rate: 3000}
            stages:
              - {id: paid, kind: filter, input: txs, where: "fee > 5000"}
              - id: per_minute
                kind: window
                input: paid
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates: [{name: n, fn: count}]
            sinks:
              - {id: all, kind: jsonl, input: txs, options: {path: "${OUT}/all"}}
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}/windows"}}
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    @Test
    void lastViewEqualsWhatTheSinksWrote(@TempDir Path tmp) throws Exception {
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        PIPELINE,
                        "progress.yaml",
                        List.of(),
                        Map.of(
                                "OUT", tmp.resolve("out").toString(),
                                "STATE", tmp.resolve("state").toString()));
        JobMetrics.Snapshot last = null;
        long watermark = Long.MIN_VALUE;
        long checkpoints = 0;
        long checkpointedAt = 0;
        RunResult result;
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(loaded, tmp),
                        RunOptions.defaults().withProgress(false))) {
            runner.start();
            JobMetrics metrics = runner.metrics();
            CompletableFuture<RunResult> done =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return runner.await();
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            while (!done.isDone()) {
                try {
                    JobMetrics.Snapshot s = metrics.snapshot();
                    if (last == null || s.recordsIn() >= last.recordsIn()) {
                        last = s;
                    }
                    if (s.watermark() != Long.MAX_VALUE) {
                        watermark = Math.max(watermark, s.watermark());
                    }
                    checkpoints = Math.max(checkpoints, s.checkpoints());
                    checkpointedAt = Math.max(checkpointedAt, s.lastCheckpointAt());
                } catch (Exception finishing) {
                    // the job ended between two calls
                }
                Thread.sleep(1000);
            }
            result = done.get(1, TimeUnit.MINUTES);
            assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FINISHED);
        }
        long all = JsonLinesFiles.read(tmp.resolve("out/all")).size();
        long windows = JsonLinesFiles.read(tmp.resolve("out/windows")).size();
        assertThat(last).isNotNull();
        // The watermark (the lowest over the tasks with inputs) moved into the chain time of the
        // synthetic blocks, and checkpoints (every second) were counted with their time.
        assertThat(watermark).isGreaterThan(0);
        assertThat(checkpoints).isPositive();
        assertThat(checkpointedAt).isGreaterThan(0);
        // A view taken while tasks were still writing is bounded by what was written, never above
        // it (a sink counted twice was).
        assertThat(last.sinks())
                .extracting(JobMetrics.SinkCount::id)
                .containsExactly("all", "windows");
        assertThat(last.sinks().get(0).rows()).isBetween(1L, all);
        assertThat(last.sinks().get(1).rows()).isBetween(1L, windows);
        assertThat(last.recordsIn()).isBetween(1L, all);
        assertThat(last.recordsOut())
                .isEqualTo(last.sinks().get(0).rows() + last.sinks().get(1).rows());
        assertThat(last.sinks().get(1).where()).isEqualTo("jsonl " + tmp.resolve("out/windows"));
        // The final counts (read from the run's counters as tasks end) equal what the sinks hold.
        JobMetrics.Snapshot end = result.metrics();
        assertThat(end.sinks())
                .extracting(JobMetrics.SinkCount::rows)
                .containsExactly(all, windows);
        assertThat(end.sources()).containsExactly(new JobMetrics.Count("txs", all));
        assertThat(end.recordsIn()).isEqualTo(all);
        assertThat(end.recordsOut()).isEqualTo(all + windows);
        assertThat(end.lateDropped()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(Progress.summary(end, 10))
                .startsWith(
                        String.format(java.util.Locale.ROOT, "ipdm: %,d rows read in 10.0 s", all))
                .contains(
                        String.format(
                                java.util.Locale.ROOT,
                                "ipdm:   sink all: %,d rows -> jsonl %s (",
                                all,
                                tmp.resolve("out/all")));
        String summary = Progress.summary(last, 10);
        assertThat(summary)
                .contains(
                        String.format(
                                java.util.Locale.ROOT,
                                "ipdm: %,d rows read in 10.0 s",
                                last.recordsIn()))
                .contains(
                        String.format(
                                java.util.Locale.ROOT,
                                "ipdm:   sink windows: %,d rows -> jsonl %s (",
                                last.sinks().get(1).rows(),
                                tmp.resolve("out/windows")))
                .contains(" files)");
    }
}
