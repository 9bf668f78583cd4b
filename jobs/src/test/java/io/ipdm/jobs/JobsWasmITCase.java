package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example job with wasm stages gives the same windows as the same query written with built-in
 * CEL stages (a sibling file in src/test/resources), on the same span of the synthetic chain.
 */
class JobsWasmITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> run(Path job, Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(
                        job,
                        List.of(
                                "sources.txs.options.duration=3m",
                                "sources.txs.options.target_rate=0",
                                "sources.txs.options.transactions_per_slot=100",
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
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static Map<String, JsonNode> byKey(
            List<JsonNode> rows, Function<JsonNode, String> key) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode r : rows) {
            assertThat(m.put(key.apply(r), r)).as("duplicate window %s", r).isNull();
        }
        return m;
    }

    @Test
    void dexVolumeEqualsCelClassification(@TempDir Path tmp) throws Exception {
        Function<JsonNode, String> key =
                r -> r.get("family").asText() + "@" + r.get("window_start").asLong();
        Map<String, JsonNode> wasm =
                byKey(run(Path.of("solana-dex-volume.yaml"), tmp.resolve("wasm")), key);
        Map<String, JsonNode> cel =
                byKey(
                        run(
                                Path.of("src/test/resources/solana-dex-volume-builtin.yaml"),
                                tmp.resolve("cel")),
                        key);
        assertThat(wasm).isEqualTo(cel);
        assertThat(wasm.keySet())
                .anyMatch(k -> k.startsWith("dex@"))
                .anyMatch(k -> k.startsWith("vote@"))
                .anyMatch(k -> k.startsWith("token@"));
    }

    @Test
    void priorityFeesEqualCelFilterAndMap(@TempDir Path tmp) throws Exception {
        Function<JsonNode, String> key = r -> Long.toString(r.get("window_start").asLong());
        Map<String, JsonNode> wasm =
                byKey(run(Path.of("solana-priority-fees.yaml"), tmp.resolve("wasm")), key);
        Map<String, JsonNode> cel =
                byKey(
                        run(
                                Path.of("src/test/resources/solana-priority-fees-builtin.yaml"),
                                tmp.resolve("cel")),
                        key);
        assertThat(wasm.keySet()).isEqualTo(cel.keySet());
        for (String k : wasm.keySet()) {
            JsonNode w = wasm.get(k);
            JsonNode c = cel.get(k);
            assertThat(w.get("txs").asLong()).as(k).isPositive().isEqualTo(c.get("txs").asLong());
            assertThat(w.get("window_end")).as(k).isEqualTo(c.get("window_end"));
            assertThat(w.get("priority_fee").asLong())
                    .as(k)
                    .isPositive()
                    .isEqualTo(c.get("priority_fee").asLong());
            assertThat(w.get("max_priority_fee").asLong())
                    .as(k)
                    .isEqualTo(c.get("max_priority_fee").asLong());
            // a sum of doubles in arrival order: equal up to rounding
            assertThat(w.get("avg_micro_lamports_per_cu").asDouble())
                    .as(k)
                    .isCloseTo(c.get("avg_micro_lamports_per_cu").asDouble(), within(1e-6));
        }
    }
}
