package io.ipdm.dataflow.runtime;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;
import static io.ipdm.dataflow.testutils.CompileErrors.sqlPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kind: sql} against the YAML window stage on the same synthetic chain, in one job: a
 * tumbling-window {@code GROUP BY} gives the same rows as the window stage; a Top-N per window
 * ranks within each window; SQL mistakes come back at their line and column in the YAML file.
 */
class SqlStageITCase {
    static final String PIPELINE =
            """
            name: sql-vs-yaml
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 5, duration: 4m, transactions_per_slot: 30, account_pool_size: 40}
            stages:
              - {id: paying, kind: filter, input: txs, where: "!is_vote"}
              - id: yaml_form
                kind: window
                input: paying
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
              - id: sql_form
                kind: sql
                input: [paying]
                query: |
                  SELECT fee_payer, window_start, window_end,
                         COUNT(*) AS txs, SUM(fee) AS fees
                  FROM TABLE(TUMBLE(TABLE paying, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))
                  GROUP BY fee_payer, window_start, window_end
              - id: top3
                kind: sql
                input: paying
                query: |
                  SELECT window_start, fee_payer, fees, rn FROM (
                    SELECT *, ROW_NUMBER() OVER (
                        PARTITION BY window_start, window_end ORDER BY fees DESC, fee_payer) AS rn
                    FROM (
                      SELECT window_start, window_end, fee_payer, SUM(fee) AS fees
                      FROM TABLE(TUMBLE(TABLE paying, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))
                      GROUP BY window_start, window_end, fee_payer))
                  WHERE rn <= 3
            sinks:
              - {id: yaml_out, kind: jsonl, input: yaml_form, options: {path: "${OUT}/yaml"}}
              - {id: sql_out, kind: jsonl, input: sql_form, options: {path: "${OUT}/sql"}}
              - {id: top_out, kind: jsonl, input: top3, options: {path: "${OUT}/top"}}
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    @Test
    void sqlWindowEqualsTheWindowStageAndTopNRanksPerWindow(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        PipelineRuns.runToCompletion(
                PIPELINE,
                "sql.yaml",
                Map.of("OUT", out.toString(), "STATE", tmp.resolve("state").toString()),
                tmp);
        Map<String, String> yaml = windows(JsonLinesFiles.read(out.resolve("yaml")));
        Map<String, String> sql = windows(JsonLinesFiles.read(out.resolve("sql")));
        assertThat(yaml).hasSizeGreaterThan(20);
        assertThat(sql).isEqualTo(yaml);

        // Top 3 fee payers of each window, from the window stage's rows
        Map<Long, List<String>> expected = new TreeMap<>();
        JsonLinesFiles.read(out.resolve("yaml")).stream()
                .sorted(
                        java.util.Comparator.comparingLong((JsonNode n) -> -n.get("fees").asLong())
                                .thenComparing(n -> n.get("fee_payer").asText()))
                .forEach(
                        n -> {
                            List<String> top =
                                    expected.computeIfAbsent(
                                            n.get("window_start").asLong(),
                                            k -> new java.util.ArrayList<>());
                            if (top.size() < 3) {
                                top.add(n.get("fee_payer").asText() + "=" + n.get("fees").asLong());
                            }
                        });
        Map<Long, List<String>> actual = new TreeMap<>();
        JsonLinesFiles.read(out.resolve("top")).stream()
                .filter(n -> !n.has("_op") || !n.get("_op").asText().startsWith("-"))
                .sorted(java.util.Comparator.comparingLong(n -> n.get("rn").asLong()))
                .forEach(
                        n ->
                                actual.computeIfAbsent(
                                                n.get("window_start").asLong(),
                                                k -> new java.util.ArrayList<>())
                                        .add(
                                                n.get("fee_payer").asText()
                                                        + "="
                                                        + n.get("fees").asLong()));
        assertThat(actual).isEqualTo(expected);
    }

    static Map<String, String> windows(List<JsonNode> rows) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode n : rows) {
            out.put(
                    n.get("fee_payer").asText() + "@" + n.get("window_start").asLong(),
                    n.get("window_end").asLong()
                            + " "
                            + n.get("txs").asLong()
                            + " "
                            + n.get("fees").asLong());
        }
        return out;
    }

    @Test
    void sqlMistakesAreReportedAtTheirYamlLineAndColumn(@TempDir Path tmp) {
        assertCompileError(
                        sqlPipeline(
                                """
                                SELECT fee_payer,
                                       SUM(fees) AS total
                                FROM txs GROUP BY fee_payer
                                """),
                        "bad.yaml",
                        Map.of(),
                        tmp)
                .hasMessageContaining(
                        "bad.yaml:11:18: stages.q.query: SQL: Column 'fees' not found");
    }

    /** IPDM's SQL aggregates check their literal arguments when the query is planned. */
    @Test
    void quantileRanksAndTopKMustBeLiterals(@TempDir Path tmp) {
        for (String[] c :
                new String[][] {
                    {
                        "QUANTILES(fee, fee)",
                        "QUANTILES: argument 2 must be a rank in [0, 1] written as a literal"
                    },
                    {"QUANTILES(fee, 1.5)", "QUANTILES: argument 2 must be a rank in [0, 1]"},
                    {"TOP_K(fee_payer, 0)", "TOP_K: k must be an integer literal between 1 and"},
                    {"QUANTILES(fee_payer, 0.5)", "QUANTILES takes a number, not STRING"}
                }) {
            assertCompileError(
                            sqlPipeline("SELECT " + c[0] + " AS x FROM txs"),
                            "bad.yaml",
                            Map.of(),
                            tmp)
                    .as(c[0])
                    .hasMessageContaining("bad.yaml:10:")
                    .hasMessageContaining(c[1]);
        }
    }
}
