package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example job with wasm stages gives the same windows as the same query written with built-in
 * CEL stages (a sibling file in src/test/resources), on the same span of the synthetic chain.
 */
class JobsWasmITCase {
    private static List<JsonNode> run(Path job, Path tmp) throws Exception {
        return SyntheticJobRun.run(job, "txs", tmp);
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
