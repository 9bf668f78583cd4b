package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.jobs.testutils.RecoveryRuns;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.time.Duration;
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
    /**
     * Edge inputs for both twins of a job with a {@code fee_columns} projection: compute units of
     * 0, negative and null (CEL has no typed null literal; {@code error} is null in successful
     * rows, and reading a null makes the value null) among the synthetic chain's real ones.
     */
    static final String EDGE_COMPUTE_UNITS =
            "stages.fee_columns.select.compute_units="
                    + "fee % 7 == 0 ? 0 : (fee % 7 == 1 ? -1 - fee % 3"
                    + " : (fee % 7 == 2 && success ? int(error) : compute_units))";

    private static List<JsonNode> run(Path job, Path tmp) throws Exception {
        return SyntheticJobRun.run(job, "txs", tmp);
    }

    private static List<JsonNode> run(Path job, Path tmp, String... overrides) throws Exception {
        return SyntheticJobRun.run(job, "txs", tmp, List.of(overrides));
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
                byKey(
                        run(
                                Path.of("solana-priority-fees.yaml"),
                                tmp.resolve("wasm"),
                                EDGE_COMPUTE_UNITS),
                        key);
        Map<String, JsonNode> cel =
                byKey(
                        run(
                                Path.of("src/test/resources/solana-priority-fees-builtin.yaml"),
                                tmp.resolve("cel"),
                                EDGE_COMPUTE_UNITS),
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

    private static final Function<JsonNode, String> PROGRAM_MINUTE =
            r -> r.get("program_id").asText() + "@" + r.get("window_start").asLong();

    @Test
    void cuPriceAggregateEqualsBuiltInAggregates(@TempDir Path tmp) throws Exception {
        Map<String, JsonNode> wasm =
                byKey(
                        run(
                                Path.of("solana-cu-price.yaml"),
                                tmp.resolve("wasm"),
                                EDGE_COMPUTE_UNITS),
                        PROGRAM_MINUTE);
        Map<String, JsonNode> cel =
                byKey(
                        run(
                                Path.of("src/test/resources/solana-cu-price-builtin.yaml"),
                                tmp.resolve("cel"),
                                EDGE_COMPUTE_UNITS),
                        PROGRAM_MINUTE);
        // the built-in twin filters unpriced rows out, so it has no window where none was priced
        Map<String, JsonNode> priced = new TreeMap<>();
        wasm.forEach(
                (k, w) -> {
                    if (w.get("priced_txs").asLong() > 0) {
                        priced.put(k, w);
                    } else {
                        assertThat(w.get("cu_price").isNull()).as(k).isTrue();
                        assertThat(w.get("min_cu_price").isNull()).as(k).isTrue();
                    }
                });
        assertThat(priced.keySet()).isEqualTo(cel.keySet()).hasSizeGreaterThan(20);
        assertThat(wasm.values())
                .as("edge rows (compute units <= 0 or null) are counted but not priced")
                .anyMatch(w -> w.get("priced_txs").asLong() < w.get("txs").asLong());
        for (String k : priced.keySet()) {
            JsonNode w = priced.get(k);
            JsonNode c = cel.get(k);
            assertThat(w.get("window_end")).as(k).isEqualTo(c.get("window_end"));
            assertThat(w.get("priced_txs").asLong()).as(k).isEqualTo(c.get("priced_txs").asLong());
            assertThat(w.get("priced_fees").asLong())
                    .as(k)
                    .isEqualTo(c.get("priced_fees").asLong());
            for (String col : List.of("cu_price", "min_cu_price", "max_cu_price")) {
                // sums of doubles in arrival order: equal up to rounding
                double expected = c.get(col).asDouble();
                assertThat(w.get(col).asDouble())
                        .as("%s %s", k, col)
                        .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void cuPriceAggregateStateSurvivesSavepointAndResume(@TempDir Path tmp) throws Exception {
        Path job = Path.of("solana-cu-price.yaml");
        List<String> sets = List.of("sources.txs.options.duration=4m", EDGE_COMPUTE_UNITS);
        Map<String, JsonNode> whole =
                byKey(SyntheticJobRun.run(job, "txs", tmp.resolve("whole"), sets), PROGRAM_MINUTE);

        Path split = tmp.resolve("split");
        List<String> paced = new java.util.ArrayList<>(sets);
        paced.add("sources.txs.options.target_rate=5000");
        assertThat(
                        RecoveryRuns.stopAndResume(
                                o -> SyntheticJobRun.start(job, "txs", split, paced, o),
                                Duration.ofSeconds(6)))
                .as("stopped before the end")
                .isTrue();
        Map<String, JsonNode> resumed = byKey(SyntheticJobRun.rows(split), PROGRAM_MINUTE);

        assertThat(resumed.keySet()).isEqualTo(whole.keySet());
        for (String k : whole.keySet()) {
            JsonNode a = whole.get(k);
            JsonNode b = resumed.get(k);
            for (String col : List.of("txs", "priced_txs", "priced_fees")) {
                assertThat(b.get(col).asLong()).as("%s %s", k, col).isEqualTo(a.get(col).asLong());
            }
            for (String col : List.of("cu_price", "min_cu_price", "max_cu_price")) {
                assertThat(b.get(col).isNull()).as("%s %s", k, col).isEqualTo(a.get(col).isNull());
                double expected = a.get(col).asDouble();
                assertThat(b.get(col).asDouble())
                        .as("%s %s", k, col)
                        .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
            }
        }
    }
}
