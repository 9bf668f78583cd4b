package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once window results: a job stopped with a savepoint and resumed, and a job whose task
 * fails mid-run and restarts from a checkpoint, write the same window rows as an uninterrupted run,
 * in JSON Lines files and in Parquet files (read back with parquet-java) alike.
 */
class ExactlyOnceITCase {
    static final String PIPELINE =
            """
            name: exactly-once
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 2s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 5, duration: 4m, transactions_per_slot: 100, target_rate: 5000, slots_per_split: 50}
            stages:
              - {id: non_vote, kind: filter, input: txs, where: "!is_vote"}
              - {id: per_program, kind: explode, input: non_vote, field: program_ids, as: program_id}
              - id: per_minute
                kind: window
                input: per_program
                key_by: [program_id]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
                  - {name: payers, fn: count_distinct, field: fee_payer, mode: exact}
            sinks:
              - {id: out, kind: jsonl, input: per_minute, options: {path: "${OUT}/jsonl"}}
              - {id: pq, kind: parquet, input: per_minute, options: {path: "${OUT}/parquet"}}
            runtime:
              parallelism: 2
              checkpoint_interval: 1s
              state_dir: "${STATE}"
              restart: {strategy: fixed-delay, attempts: 2, delay: 500ms}
            """;

    private static PipelineLoader.Loaded load(Path out, Path state) {
        return PipelineLoader.parse(
                PIPELINE,
                "exactly-once.yaml",
                List.of(),
                Map.of("OUT", out.toString(), "STATE", state.toString()));
    }

    /** The JSON Lines sink's rows, sorted; the Parquet sink must have written the same rows. */
    private static List<String> rows(Path dir) {
        List<String> rows = sorted(JsonLinesFiles.read(dir.resolve("jsonl")));
        assertThat(sorted(ParquetFiles.read(dir.resolve("parquet"))))
                .as("parquet rows equal jsonl rows")
                .isEqualTo(rows);
        return rows;
    }

    private static List<String> sorted(List<JsonNode> nodes) {
        List<String> rows = new ArrayList<>();
        for (JsonNode n : nodes) {
            rows.add(n.toString());
        }
        rows.sort(null);
        return rows;
    }

    private static final InterruptedRuns.Comparison RUNS =
            new InterruptedRuns.Comparison(
                    ExactlyOnceITCase::load, ExactlyOnceITCase::rows, "txs", 20_000);

    @TempDir static Path shared;
    private static List<String> uninterrupted;

    /** The reference: the same pipeline run once without interruption. */
    @BeforeAll
    static void runUninterrupted() throws Exception {
        uninterrupted = RUNS.uninterrupted(shared);
        assertThat(uninterrupted).hasSizeGreaterThan(20);
    }

    @Test
    void stopWithSavepointAndResumeEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        RUNS.assertStopWithSavepointAndResumeEquals(uninterrupted, tmp, Duration.ofSeconds(10));
    }

    @Test
    void failureMidRunRestartsFromCheckpointWithSameResults(@TempDir Path tmp) throws Exception {
        RUNS.assertFailOnceAndRestartEquals(uninterrupted, tmp);
    }
}
