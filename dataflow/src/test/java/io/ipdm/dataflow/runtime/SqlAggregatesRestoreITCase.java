package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL stage's accumulators (QUANTILES, COUNT_DISTINCT, TOP_K exact, HLL_COUNT_DISTINCT and a
 * module's aggregate) survive a savepoint and a restart from a checkpoint on the RocksDB state
 * backend: a job stopped with a savepoint mid-run and resumed, and a job whose task fails mid-run,
 * write the same rows as an uninterrupted run (the module's floating-point sum up to rounding).
 */
class SqlAggregatesRestoreITCase {
    static final String PIPELINE =
            """
            name: sql-restore
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 2s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 3, duration: 5m, transactions_per_slot: 100, target_rate: 3000, slots_per_split: 50}
            stages:
              - id: per_window
                kind: sql
                input: [txs]
                query: |
                  SELECT window_start, window_end, is_vote, txs, cu, payers, payers_hll,
                         top_payers, t.price.weighted_cu_price AS cu_price,
                         t.price.priced_txs AS priced_txs
                  FROM (
                    SELECT window_start, window_end, is_vote, COUNT(*) AS txs,
                           QUANTILES(compute_units, 0.5, 0.9, 0.99) AS cu,
                           COUNT_DISTINCT(fee_payer) AS payers,
                           HLL_COUNT_DISTINCT(fee_payer) AS payers_hll,
                           TOP_K(fee_payer, 3) AS top_payers,
                           cu_price.fee_weighted(fee, num_signatures, compute_units) AS price
                    FROM TABLE(HOP(TABLE txs, DESCRIPTOR(rowtime), INTERVAL '30' SECOND,
                                   INTERVAL '2' MINUTE))
                    GROUP BY window_start, window_end, is_vote) AS t
            sinks:
              - {id: out, kind: jsonl, input: per_window, options: {path: "${OUT}"}}
            runtime:
              parallelism: 2
              checkpoint_interval: 1s
              state_backend: rocksdb
              state_dir: "${STATE}"
              restart: {strategy: fixed-delay, attempts: 2, delay: 500ms}
            modules:
              - {id: cu_price, path: "${CORPUS}/cu_price.wasm"}
            """;

    private static PipelineLoader.Loaded load(Path out, Path state) {
        return PipelineLoader.parse(
                PIPELINE,
                "sql-restore.yaml",
                List.of(),
                Map.of(
                        "OUT",
                        out.toString(),
                        "STATE",
                        state.toString(),
                        "CORPUS",
                        Path.of("../wasm-udf/corpus/c").toAbsolutePath().normalize().toString()));
    }

    /**
     * The rows, sorted, with the module's {@code cu_price} (a sum of doubles, folded in batches
     * whose bounds move with a restore) rounded to 9 significant digits; the other columns exact.
     */
    private static List<String> rows(Path dir) {
        List<String> rows = new ArrayList<>();
        for (JsonNode n : JsonLinesFiles.read(dir)) {
            ObjectNode o = (ObjectNode) n;
            o.put(
                    "cu_price",
                    new BigDecimal(o.get("cu_price").asDouble())
                            .round(new MathContext(9))
                            .toString());
            rows.add(o.toString());
        }
        rows.sort(null);
        return rows;
    }

    private static final InterruptedRuns.Comparison RUNS =
            new InterruptedRuns.Comparison(
                    SqlAggregatesRestoreITCase::load,
                    SqlAggregatesRestoreITCase::rows,
                    "txs",
                    20_000);

    @TempDir static Path shared;
    private static List<String> uninterrupted;

    @BeforeAll
    static void runUninterrupted() throws Exception {
        uninterrupted = RUNS.uninterrupted(shared);
        assertThat(uninterrupted).hasSizeGreaterThan(10);
        assertThat(uninterrupted.get(0)).contains("\"cu\":[", "\"top_payers\":", "\"priced_txs\":");
    }

    @Test
    void stopWithSavepointAndResumeEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        RUNS.assertStopWithSavepointAndResumeEquals(uninterrupted, tmp, Duration.ofSeconds(12));
    }

    @Test
    void failureMidRunRestartsFromCheckpointWithSameResults(@TempDir Path tmp) throws Exception {
        RUNS.assertFailOnceAndRestartEquals(uninterrupted, tmp);
    }
}
