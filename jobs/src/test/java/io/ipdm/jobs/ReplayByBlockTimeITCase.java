package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobMetrics;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.RealBlocks.Block;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replay reads getBlock files by block time: the six real blocks (mainnet and devnet, whose slots
 * interleave with their times: devnet 270893658 is two months older than mainnet 254170887) with
 * the DEFAULT out-of-orderness (5 s) drop nothing as late, at parallelism 1 and 2, and the windows
 * equal per-minute counts taken from the data collector's per-block facts (no Flink, no order).
 */
class ReplayByBlockTimeITCase {
    static final String PIPELINE =
            """
            name: replay-by-block-time
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-replay
                table: transactions
                options: {path: "${DATA}"}
            stages:
              - id: per_minute
                kind: window
                input: txs
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
            sinks:
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}"}}
            runtime: {parallelism: PARALLELISM, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void mixedNetworksReplayWithDefaultOutOfOrdernessDropNothing(int parallelism, @TempDir Path tmp)
            throws Exception {
        Path d = RealBlocks.dir();
        List<Block> blocks = RealBlocks.blocks();
        Map<Long, String> expected = new TreeMap<>();
        long total = 0;
        for (Block b : blocks) {
            expected.put(b.minute(), b.txCount() + "/" + b.sumFee());
            total += b.txCount();
        }
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        PIPELINE.replace("PARALLELISM", Integer.toString(parallelism)),
                        "replay-by-block-time.yaml",
                        List.of(),
                        Map.of(
                                "DATA",
                                d.resolve("photon-getblock-base64")
                                        + ","
                                        + d.resolve("nyanbot-getblock-base58"),
                                "OUT",
                                tmp.resolve("out").toString(),
                                "STATE",
                                tmp.resolve("state").toString()));
        RunResult result;
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(loaded, tmp),
                        RunOptions.defaults().withProgress(false))) {
            runner.start();
            result = runner.await();
        }
        assertThat(result.outcome())
                .as("failure: %s", result.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        JobMetrics.Snapshot end = result.metrics();
        assertThat(end.recordsIn()).isEqualTo(total);
        assertThat(end.lateDropped()).allSatisfy(c -> assertThat(c.rows()).isZero());
        assertThat(result.warnings()).isEmpty();

        Map<Long, String> actual = new TreeMap<>();
        for (JsonNode r : SyntheticJobRun.rows(tmp)) {
            String was =
                    actual.put(
                            r.get("window_start").asLong(),
                            r.get("txs").asLong() + "/" + r.get("fees").asLong());
            assertThat(was).as("window %s fired twice", r).isNull();
        }
        assertThat(actual).as("txs/fees per minute of chain time").isEqualTo(expected);
    }
}
