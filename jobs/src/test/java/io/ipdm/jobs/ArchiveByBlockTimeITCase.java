package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator.Planned;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobMetrics;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Old Faithful archives of two networks in one source are read by block time: a devnet archive
 * (generated from the real devnet blocks, so its blocks are two months older) at slots 400M and a
 * mainnet one at slots 300M. In slot order the devnet rows would all come after the mainnet ones,
 * behind the watermark; read by their splits' first block times, the DEFAULT out-of-orderness (5 s)
 * drops nothing, at parallelism 1 and 2, and the windows equal per-minute counts of the union taken
 * from the generators' plans (no Flink, no order).
 */
class ArchiveByBlockTimeITCase {
    static final String PIPELINE =
            """
            name: archive-by-block-time
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: old-faithful
                table: transactions
                options: {path: "${ARCHIVES}", split_blocks: SPLIT}
            stages:
              - id: per_minute
                kind: window
                input: txs
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
            sinks:
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}"}}
            runtime: {parallelism: PARALLELISM, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void twoNetworksArchivesWithDefaultOutOfOrdernessDropNothing(int parallelism, @TempDir Path tmp)
            throws Exception {
        Path d = RealBlocks.dir();
        Map<Long, Long> expected = new TreeMap<>();
        long total = 0;
        String archives = "";
        // mainnet templates first: its archive has the lower slots and the later times
        for (String[] net :
                new String[][] {
                    {"mainnet", "nyanbot-getblock-base58", "300000000"},
                    {"devnet", "photon-getblock-base64", "400000000"}
                }) {
            List<GetBlockArchive.ArchiveBlock> templates =
                    GetBlockArchive.readAll(
                            java.nio.file.Files.list(d.resolve(net[1]))
                                    .filter(f -> f.getFileName().toString().startsWith("block_"))
                                    .sorted()
                                    .toList());
            List<Planned> plan = ArchiveGenerator.plan(templates, 11, Long.parseLong(net[2]), 3000);
            Path car = tmp.resolve(net[0] + ".car");
            ArchiveGenerator.write(templates, plan, car);
            for (Planned p : plan) {
                long n = templates.get(p.template()).txs().size();
                expected.merge(p.blockTime() / 60 * 60_000, n, Long::sum);
                total += n;
            }
            archives += (archives.isEmpty() ? "" : ",") + car;
        }
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        PIPELINE.replace("PARALLELISM", Integer.toString(parallelism))
                                .replace("SPLIT", parallelism == 1 ? "2000" : "10"),
                        "archive-by-block-time.yaml",
                        List.of(),
                        Map.of(
                                "ARCHIVES",
                                archives,
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

        Map<Long, Long> actual = new TreeMap<>();
        for (JsonNode r : SyntheticJobRun.rows(tmp)) {
            Long was = actual.put(r.get("window_start").asLong(), r.get("txs").asLong());
            assertThat(was).as("window %s fired twice", r).isNull();
        }
        assertThat(actual).as("transactions per minute of chain time").isEqualTo(expected);
    }
}
