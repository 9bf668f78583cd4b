package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded job with checkpoints ends once its input is processed, not at the next periodic
 * checkpoint: with {@code checkpoint_interval: 1h}, Flink alone keeps the finished tasks waiting
 * for a checkpoint that the schedule starts at a random time up to an hour in; {@link
 * FinalCheckpoint} takes it as the input ends. The sinks' rows are all there (the jsonl sink
 * commits its files at that checkpoint).
 */
class FinalCheckpointITCase {
    static final String PIPELINE =
            """
            name: final-checkpoint
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 5, duration: 1m, transactions_per_slot: 20}
            stages:
              - id: per_minute
                kind: window
                input: txs
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates: [{name: n, fn: count}]
            sinks:
              - {id: all, kind: jsonl, input: txs, options: {path: "${OUT}/all"}}
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}/windows"}}
            runtime: {parallelism: 2, checkpoint_interval: 1h, state_dir: "${STATE}"}
            """;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // an hour without the final checkpoint trigger
    void boundedJobEndsWithoutWaitingForThePeriodicCheckpoint(@TempDir Path tmp) throws Exception {
        RunResult result =
                PipelineRuns.runToCompletion(
                        PIPELINE,
                        "final-checkpoint.yaml",
                        Map.of(
                                "OUT", tmp.resolve("out").toString(),
                                "STATE", tmp.resolve("state").toString()),
                        tmp);
        long all = JsonLinesFiles.read(tmp.resolve("out/all")).size();
        long windows = JsonLinesFiles.read(tmp.resolve("out/windows")).size();
        // every row the source read is in the committed files (150 slots, some skipped, of 20)
        assertThat(all).isBetween(1L, 150L * 20);
        assertThat(result.metrics().recordsIn()).isEqualTo(all);
        assertThat(windows).isPositive();
        assertThat(result.metrics().recordsOut()).isEqualTo(all + windows);
    }
}
