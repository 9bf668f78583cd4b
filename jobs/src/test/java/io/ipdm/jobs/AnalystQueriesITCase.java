package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst queries of jobs/, each written as YAML stages and as one {@code kind: sql} stage,
 * give equal rows on the synthetic chain and on the six real blocks; the failure-blame join agrees
 * with the same join done in plain Java over the decoded real blocks.
 */
class AnalystQueriesITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rows by a key, each as its compared values. */
    private static Map<String, String> index(
            List<JsonNode> rows, Function<JsonNode, String> key, List<String> values) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : rows) {
            StringBuilder v = new StringBuilder();
            for (String f : values) {
                JsonNode value = r.get(f);
                v.append(f)
                        .append('=')
                        .append(value.isContainerNode() ? value.toString() : value.asText())
                        .append(' ');
            }
            String previous = out.put(key.apply(r), v.toString().strip());
            assertThat(previous).as("two rows for %s", key.apply(r)).isNull();
        }
        return out;
    }

    private static List<JsonNode> run(String job, String source, Path tmp, boolean real)
            throws Exception {
        return SyntheticJobRun.run(
                Path.of(job), source, tmp, real ? RealBlocks.replay(source) : List.of());
    }

    private static void sameRows(
            String job,
            String source,
            Function<JsonNode, String> key,
            List<String> values,
            Path tmp,
            boolean real)
            throws Exception {
        Map<String, String> yaml =
                index(run(job + ".yaml", source, tmp.resolve("yaml"), real), key, values);
        Map<String, String> sql =
                index(run(job + "-sql.yaml", source, tmp.resolve("sql"), real), key, values);
        assertThat(yaml).isNotEmpty();
        assertThat(sql).isEqualTo(yaml);
    }

    /**
     * {@link #sameRows} on the synthetic chain and on the real blocks, rows keyed by {@code field}
     * and window.
     */
    private static void sameRowsSyntheticAndReal(
            String job, String source, String field, List<String> values, Path tmp)
            throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            sameRows(
                    job,
                    source,
                    r -> windowOf(r, field),
                    values,
                    tmp.resolve(real ? "real" : "synthetic"),
                    real);
        }
    }

    private static String windowOf(JsonNode r, String field) {
        return r.get(field).asText()
                + "@"
                + r.get("window_start").asLong()
                + "-"
                + r.get("window_end").asLong();
    }

    @Test
    void mintActivitySyntheticAndReal(@TempDir Path tmp) throws Exception {
        sameRowsSyntheticAndReal(
                "solana-mint-activity",
                "balances",
                "mint",
                List.of("owners", "volume", "changes"),
                tmp);
    }

    /** The per-program per-minute window (the benchmark's pair, docs/BENCHMARKS.md). */
    @Test
    void programActivitySyntheticAndReal(@TempDir Path tmp) throws Exception {
        sameRowsSyntheticAndReal(
                "solana-program-activity",
                "txs",
                "program_id",
                List.of("txs", "failed", "failure_rate"),
                tmp);
    }

    /**
     * The cu_price module's aggregate called from SQL as cu_price.fee_weighted(...) equals the same
     * module as a window stage's wasm aggregate (up to the order floating-point sums run in).
     */
    @Test
    void wasmAggregateFromSqlEqualsWindowStage(@TempDir Path tmp) throws Exception {
        Function<JsonNode, String> key = r -> windowOf(r, "program_id");
        Map<String, JsonNode> yaml = new TreeMap<>();
        for (JsonNode r : run("solana-cu-price.yaml", "txs", tmp.resolve("yaml"), false)) {
            yaml.put(key.apply(r), r);
        }
        Map<String, JsonNode> sql = new TreeMap<>();
        for (JsonNode r : run("solana-cu-price-sql.yaml", "txs", tmp.resolve("sql"), false)) {
            sql.put(key.apply(r), r);
        }
        assertThat(yaml).isNotEmpty();
        assertThat(sql.keySet()).isEqualTo(yaml.keySet());
        for (String k : yaml.keySet()) {
            JsonNode y = yaml.get(k);
            JsonNode s = sql.get(k);
            for (String col : List.of("txs", "priced_txs", "priced_fees")) {
                assertThat(s.get(col).asLong()).as(k + " " + col).isEqualTo(y.get(col).asLong());
            }
            for (String col : List.of("cu_price", "min_cu_price", "max_cu_price")) {
                if (y.get(col).isNull()) {
                    assertThat(s.get(col).isNull()).as(k + " " + col).isTrue();
                } else {
                    assertThat(s.get(col).asDouble())
                            .as(k + " " + col)
                            .isCloseTo(
                                    y.get(col).asDouble(),
                                    org.assertj.core.data.Percentage.withPercentage(1e-9));
                }
            }
        }
    }

    /**
     * The priority_fee module's filter and map called from SQL (in WHERE, and as a ROW) equal the
     * same functions in wasm stages, per minute (averages up to the order the sums run in).
     */
    @Test
    void wasmFilterAndMapFromSqlEqualWasmStages(@TempDir Path tmp) throws Exception {
        Function<JsonNode, String> key = r -> windowOf(r, "window_start");
        List<JsonNode> yamlRows =
                run("solana-priority-fees.yaml", "txs", tmp.resolve("yaml"), false);
        Map<String, String> yaml =
                index(yamlRows, key, List.of("txs", "priority_fee", "max_priority_fee"));
        List<JsonNode> sqlRows =
                run("solana-priority-fees-sql.yaml", "txs", tmp.resolve("sql"), false);
        assertThat(yaml).isNotEmpty();
        assertThat(index(sqlRows, key, List.of("txs", "priority_fee", "max_priority_fee")))
                .isEqualTo(yaml);
        Map<String, Double> yamlAvg = new TreeMap<>();
        for (JsonNode r : yamlRows) {
            yamlAvg.put(key.apply(r), r.get("avg_micro_lamports_per_cu").asDouble());
        }
        for (JsonNode r : sqlRows) {
            assertThat(r.get("avg_micro_lamports_per_cu").asDouble())
                    .as(key.apply(r))
                    .isCloseTo(
                            yamlAvg.get(key.apply(r)),
                            org.assertj.core.data.Percentage.withPercentage(1e-9));
        }
    }

    @Test
    void payerSessionsSyntheticAndReal(@TempDir Path tmp) throws Exception {
        sameRowsSyntheticAndReal(
                "solana-payer-sessions", "txs", "fee_payer", List.of("txs", "failed", "fees"), tmp);
    }

    @Test
    void customFailuresSyntheticAndReal(@TempDir Path tmp) throws Exception {
        sameRowsSyntheticAndReal(
                "solana-custom-failures",
                "txs",
                "program_id",
                List.of("txs", "custom_failures", "custom_rate"),
                tmp);
    }

    /**
     * Exact compute-unit quantiles per program on hopping windows: the SQL stage's QUANTILES equals
     * the window stage's {@code fn: quantiles, mode: exact} and the same rule (the smallest value
     * with at least rank * n values at or below it) recomputed here from the job's input rows. The
     * approximate ones are KLL sketches with random compaction, so only their shape is compared.
     */
    @Test
    void programCuQuantilesSyntheticAndReal(@TempDir Path tmp) throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            Path dir = tmp.resolve(real ? "real" : "synthetic");
            List<JsonNode> yamlRows =
                    run("solana-program-cu-quantiles.yaml", "txs", dir.resolve("yaml"), real);
            List<JsonNode> sqlRows =
                    run("solana-program-cu-quantiles-sql.yaml", "txs", dir.resolve("sql"), real);
            Function<JsonNode, String> key = r -> windowOf(r, "program_id");
            Map<String, String> yaml = index(yamlRows, key, List.of("txs", "cu"));
            assertThat(yaml).isNotEmpty();
            assertThat(index(sqlRows, key, List.of("txs", "cu"))).isEqualTo(yaml);
            List<JsonNode> input =
                    run(
                            "src/test/resources/analyst/program-cu-rows.yaml",
                            "txs",
                            dir.resolve("rows"),
                            real);
            assertThat(index(sqlRows, key, List.of("txs", "cu")))
                    .isEqualTo(hoppingQuantiles(input, 60_000, 300_000, 0.5, 0.9, 0.99));
            for (JsonNode r : sqlRows) {
                assertThat(r.get("cu_approx").size()).isEqualTo(3);
            }
        }
    }

    /** Per program and hopping window: the row count and the exact quantiles of compute_units. */
    private static Map<String, String> hoppingQuantiles(
            List<JsonNode> rows, long slide, long size, double... ranks) {
        Map<String, List<Long>> values = new TreeMap<>();
        for (JsonNode r : rows) {
            long t = r.get("block_time").asLong() * 1000;
            long last = t - Math.floorMod(t, slide);
            for (long start = last - size + slide; start <= last; start += slide) {
                values.computeIfAbsent(
                                r.get("program_id").asText() + "@" + start + "-" + (start + size),
                                k -> new ArrayList<>())
                        .add(r.get("compute_units").asLong());
            }
        }
        Map<String, String> out = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    List<Long> sorted = v.stream().sorted().toList();
                    List<String> q = new ArrayList<>();
                    for (double rank : ranks) {
                        int i =
                                (int)
                                        Math.min(
                                                sorted.size(),
                                                Math.max(1, Math.ceil(rank * sorted.size())));
                        q.add(String.valueOf((double) sorted.get(i - 1)));
                    }
                    out.put(k, "txs=" + v.size() + " cu=[" + String.join(",", q) + "]");
                });
        return out;
    }

    /**
     * Token changes joined to tables/mints.csv (a lookup table) and summed per symbol and minute on
     * the real blocks, against the same join in Java over the decoded blocks.
     */
    @Test
    void tokenSymbolsOnRealBlocks(@TempDir Path tmp) throws Exception {
        List<JsonNode> rows =
                SyntheticJobRun.run(
                        Path.of("solana-token-symbols-sql.yaml"),
                        "balances",
                        tmp,
                        RealBlocks.replay("balances"));
        Map<String, String> actual =
                index(
                        rows,
                        r -> r.get("symbol").asText() + "@" + r.get("window_start").asLong(),
                        List.of("changes", "owners", "raw_volume"));
        Map<String, String> symbols = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("tables/mints.csv")).subList(1, 6)) {
            String[] cells = line.split(",");
            symbols.put(cells[0], cells[1]);
        }
        Map<String, List<Object>> acc = new TreeMap<>();
        Map<String, java.util.Set<String>> owners = new TreeMap<>();
        for (Path f : blockFiles()) {
            var block = GetBlockDecoder.decodeFile(f);
            SolanaTable t = SolanaTable.TOKEN_BALANCE_CHANGES;
            for (Row r : SolanaRows.rows(block, t)) {
                String symbol = symbols.get((String) field(r, t, "mint"));
                if (symbol == null) {
                    continue;
                }
                long minute = (Long) field(r, t, "block_time") / 60 * 60_000;
                String k = symbol + "@" + minute;
                List<Object> a = acc.computeIfAbsent(k, x -> new ArrayList<>(List.of(0L, 0L)));
                a.set(0, (Long) a.get(0) + 1);
                a.set(1, (Long) a.get(1) + Math.abs((Long) field(r, t, "delta")));
                owners.computeIfAbsent(k, x -> new java.util.TreeSet<>())
                        .add(String.valueOf(field(r, t, "owner")));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        acc.forEach(
                (k, a) ->
                        expected.put(
                                k,
                                "changes="
                                        + a.get(0)
                                        + " owners="
                                        + owners.get(k).size()
                                        + " raw_volume="
                                        + a.get(1)));
        assertThat(expected).as("the real blocks hold changes of listed mints").isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static List<Path> blockFiles() throws Exception {
        Path d = RealBlocks.dir();
        List<Path> out = new ArrayList<>();
        for (Path dir :
                List.of(
                        d.resolve("photon-getblock-base64"),
                        d.resolve("nyanbot-getblock-base58"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().startsWith("block_"))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** The SQL job's top 5 of each window equal the 5 largest of the YAML job's rows there. */
    @Test
    void topFeePayersSyntheticAndReal(@TempDir Path tmp) throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            Path dir = tmp.resolve(real ? "real" : "synthetic");
            Map<String, List<String>> expected = new TreeMap<>();
            run("solana-top-fee-payers.yaml", "txs", dir.resolve("yaml"), real).stream()
                    .sorted(
                            Comparator.comparingLong((JsonNode n) -> -n.get("fees").asLong())
                                    .thenComparing(n -> n.get("fee_payer").asText()))
                    .forEach(
                            n -> {
                                List<String> top =
                                        expected.computeIfAbsent(
                                                windowOf(n, "window_start"),
                                                k -> new ArrayList<>());
                                if (top.size() < 5) {
                                    top.add(payer(n));
                                }
                            });
            Map<String, List<String>> actual = new TreeMap<>();
            run("solana-top-fee-payers-sql.yaml", "txs", dir.resolve("sql"), real).stream()
                    .sorted(Comparator.comparingLong(n -> n.get("rank").asLong()))
                    .forEach(
                            n ->
                                    actual.computeIfAbsent(
                                                    windowOf(n, "window_start"),
                                                    k -> new ArrayList<>())
                                            .add(payer(n)));
            assertThat(expected).isNotEmpty();
            assertThat(actual).isEqualTo(expected);
            // the YAML job's file sink with top: 5 writes the same rows, ranked per window
            List<String> sets =
                    new ArrayList<>(
                            List.of(
                                    "sinks.table.options.top=5",
                                    "sinks.table.options.order_by=fees"));
            if (real) {
                sets.addAll(RealBlocks.replay("txs"));
            }
            Map<String, List<String>> files = new TreeMap<>();
            SyntheticJobRun.run(
                            Path.of("solana-top-fee-payers.yaml"), "txs", dir.resolve("top"), sets)
                    .stream()
                    .sorted(
                            Comparator.comparingLong((JsonNode n) -> -n.get("fees").asLong())
                                    .thenComparing(n -> n.get("fee_payer").asText()))
                    .forEach(
                            n ->
                                    files.computeIfAbsent(
                                                    windowOf(n, "window_start"),
                                                    k -> new ArrayList<>())
                                            .add(payer(n)));
            assertThat(files).isEqualTo(expected);
        }
    }

    private static String payer(JsonNode n) {
        return n.get("fee_payer").asText()
                + " fees="
                + n.get("fees").asLong()
                + " txs="
                + n.get("txs").asLong();
    }

    /**
     * The join of failed transactions to the instruction their error names, per program and minute,
     * against the same join in Java over the decoded blocks.
     */
    @Test
    void failureBlameOnRealBlocks(@TempDir Path tmp) throws Exception {
        List<String> sets = new ArrayList<>(RealBlocks.replay("txs"));
        sets.addAll(RealBlocks.replay("ixs"));
        List<JsonNode> rows =
                SyntheticJobRun.run(Path.of("solana-failure-blame-sql.yaml"), "txs", tmp, sets);
        Map<String, String> actual =
                index(
                        rows,
                        r -> r.get("program_id").asText() + "@" + r.get("window_start").asLong(),
                        List.of("failures", "custom_failures"));
        assertThat(actual).isEqualTo(expectedBlame());
    }

    static Map<String, String> expectedBlame() throws Exception {
        Path d = RealBlocks.dir();
        Map<String, long[]> counts = new TreeMap<>();
        for (Path dir :
                List.of(
                        d.resolve("photon-getblock-base64"),
                        d.resolve("nyanbot-getblock-base58"))) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().startsWith("block_")).toList();
            }
            for (Path f : files) {
                var block = GetBlockDecoder.decodeFile(f);
                Map<String, String> programOf = new TreeMap<>();
                for (Row i : SolanaRows.rows(block, SolanaTable.INSTRUCTIONS)) {
                    if (field(i, SolanaTable.INSTRUCTIONS, "inner_index") == null) {
                        programOf.put(
                                field(i, SolanaTable.INSTRUCTIONS, "signature")
                                        + "#"
                                        + field(i, SolanaTable.INSTRUCTIONS, "instruction_index"),
                                (String) field(i, SolanaTable.INSTRUCTIONS, "program_id"));
                    }
                }
                for (Row t : SolanaRows.rows(block, SolanaTable.TRANSACTIONS)) {
                    String error = (String) field(t, SolanaTable.TRANSACTIONS, "error");
                    if ((Boolean) field(t, SolanaTable.TRANSACTIONS, "success") || error == null) {
                        continue;
                    }
                    JsonNode ie = JSON.readTree(error).get("InstructionError");
                    if (ie == null) {
                        continue;
                    }
                    String program =
                            programOf.get(
                                    field(t, SolanaTable.TRANSACTIONS, "signature")
                                            + "#"
                                            + ie.get(0).asInt());
                    if (program == null) {
                        continue;
                    }
                    long minute =
                            (Long) field(t, SolanaTable.TRANSACTIONS, "block_time") / 60 * 60_000;
                    long[] c = counts.computeIfAbsent(program + "@" + minute, k -> new long[2]);
                    c[0]++;
                    c[1] += ie.get(1).has("Custom") ? 1 : 0;
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, c) -> out.put(k, "failures=" + c[0] + " custom_failures=" + c[1]));
        assertThat(out).as("the real blocks hold failed transactions").isNotEmpty();
        return out;
    }

    private static Object field(Row r, SolanaTable table, String name) {
        return r.getField(table.indexOf(name));
    }
}
