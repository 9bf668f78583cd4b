package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example job on a small span of the synthetic chain, with its terminal sink swapped for
 * a JSON Lines sink, and checks properties of the window rows it wrote.
 */
class JobsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> run(String job, String source, Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(
                        Path.of(job),
                        List.of(
                                "sources." + source + ".options.duration=3m",
                                "sources." + source + ".options.target_rate=0",
                                "sources." + source + ".options.transactions_per_slot=100",
                                "sinks.table.kind=jsonl",
                                "sinks.table.options=",
                                "sinks.table.options.path=" + out,
                                "runtime.checkpoint_interval=1s",
                                "runtime.state_dir=" + tmp.resolve("state")),
                        Map.of());
        RunResult r;
        try (LocalRunner runner =
                new LocalRunner(loaded, RunOptions.defaults().withProgress(false), tmp)) {
            runner.start();
            r = runner.await();
        }
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
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
        } catch (IOException e) {
            throw e;
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    @Test
    void programActivity(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-program-activity.yaml", "txs", tmp)) {
            long start = r.get("window_start").asLong();
            assertThat(start % 60_000).isZero();
            assertThat(r.get("window_end").asLong() - start).isEqualTo(60_000);
            long txs = r.get("txs").asLong();
            long failed = r.get("failed").asLong();
            assertThat(txs).isPositive();
            assertThat(failed).isBetween(0L, txs);
            assertThat(r.get("failure_rate").asDouble())
                    .isCloseTo((double) failed / txs, org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    @Test
    void feeQuantiles(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-fee-quantiles.yaml", "txs", tmp)) {
            long start = r.get("window_start").asLong();
            assertThat(start % 60_000).isZero();
            assertThat(r.get("window_end").asLong() - start).isEqualTo(300_000);
            JsonNode fee = r.get("fee");
            assertThat(fee.size()).isEqualTo(3);
            assertThat(fee.get(0).asDouble()).isLessThanOrEqualTo(fee.get(1).asDouble());
            assertThat(fee.get(1).asDouble()).isLessThanOrEqualTo(fee.get(2).asDouble());
            assertThat(fee.get(2).asDouble()).isLessThanOrEqualTo(r.get("max_fee").asDouble());
            assertThat(r.get("txs").asLong()).isPositive();
        }
    }

    @Test
    void tokenVolume(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-token-volume.yaml", "balances", tmp)) {
            long first = r.get("first_seen").asLong() * 1000;
            long last = r.get("last_seen").asLong() * 1000;
            assertThat(first).isLessThanOrEqualTo(last);
            assertThat(r.get("window_start").asLong()).isEqualTo(first);
            assertThat(r.get("window_end").asLong()).isEqualTo(last + 120_000);
            assertThat(r.get("volume").asLong()).isNotNegative();
            assertThat(r.get("transfers").asLong()).isPositive();
        }
    }
}
