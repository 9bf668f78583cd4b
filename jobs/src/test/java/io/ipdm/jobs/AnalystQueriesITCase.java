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
                v.append(f).append('=').append(r.get(f).asText()).append(' ');
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

    private static String windowOf(JsonNode r, String field) {
        return r.get(field).asText()
                + "@"
                + r.get("window_start").asLong()
                + "-"
                + r.get("window_end").asLong();
    }

    @Test
    void mintActivitySyntheticAndReal(@TempDir Path tmp) throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            sameRows(
                    "solana-mint-activity",
                    "balances",
                    r -> windowOf(r, "mint"),
                    List.of("owners", "volume", "changes"),
                    tmp.resolve(real ? "real" : "synthetic"),
                    real);
        }
    }

    @Test
    void payerSessionsSyntheticAndReal(@TempDir Path tmp) throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            sameRows(
                    "solana-payer-sessions",
                    "txs",
                    r -> windowOf(r, "fee_payer"),
                    List.of("txs", "failed", "fees"),
                    tmp.resolve(real ? "real" : "synthetic"),
                    real);
        }
    }

    @Test
    void customFailuresSyntheticAndReal(@TempDir Path tmp) throws Exception {
        for (boolean real : new boolean[] {false, true}) {
            sameRows(
                    "solana-custom-failures",
                    "txs",
                    r -> windowOf(r, "program_id"),
                    List.of("txs", "custom_failures", "custom_rate"),
                    tmp.resolve(real ? "real" : "synthetic"),
                    real);
        }
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
