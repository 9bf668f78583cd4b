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
 * Modules' map and filter functions called from SQL by module id ({@code module.function(...)})
 * give the same rows as the same functions in {@code kind: wasm} stages, in one job on the
 * synthetic chain: the C priority_fee module's filter (in WHERE) and two-column map (a ROW), and
 * the C classify module's map over a list column. Wrong calls are errors at their YAML line and
 * column naming the function and its signature.
 */
class SqlWasmFunctionsITCase {
    static final String PIPELINE =
            """
            name: sql-wasm
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 9, duration: 2m, transactions_per_slot: 30, account_pool_size: 40}
            stages:
              - id: fee_columns
                kind: project
                input: txs
                select:
                  signature: signature
                  block_time: block_time
                  fee: fee
                  signatures: num_signatures
                  success: success
                  compute_units: compute_units
                  program_ids: program_ids
              - {id: paid, kind: wasm, input: fee_columns, module: prio, function: paid_priority}
              - {id: priced, kind: wasm, input: paid, module: prio, function: fee_per_cu}
              - {id: classified, kind: wasm, input: priced, module: classify, function: classify}
              - id: sql_form
                kind: sql
                input: [txs]
                query: |
                  SELECT signature, t.p.priority_fee, t.p.micro_lamports_per_cu, family
                  FROM (
                    SELECT signature,
                           prio.fee_per_cu(fee, num_signatures, compute_units) AS p,
                           classify.classify(program_ids) AS family
                    FROM txs
                    WHERE prio.paid_priority(fee, num_signatures, success)) AS t
            sinks:
              - {id: yaml_out, kind: jsonl, input: classified, options: {path: "${OUT}/yaml"}}
              - {id: sql_out, kind: jsonl, input: sql_form, options: {path: "${OUT}/sql"}}
              - {id: all_out, kind: jsonl, input: txs, options: {path: "${OUT}/all"}}
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            modules:
              - {id: prio, path: "${CORPUS}/priority_fee.wasm"}
              - {id: classify, path: "${CORPUS}/classify.wasm"}
            """;

    static String corpus() {
        return Path.of("../wasm-udf/corpus/c").toAbsolutePath().normalize().toString();
    }

    @Test
    void mapAndFilterFromSqlEqualTheWasmStages(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        PipelineRuns.runToCompletion(
                PIPELINE,
                "sql-wasm.yaml",
                Map.of(
                        "OUT", out.toString(),
                        "STATE", tmp.resolve("state").toString(),
                        "CORPUS", corpus()),
                tmp);
        Map<String, String> yaml = bySignature(JsonLinesFiles.read(out.resolve("yaml")));
        Map<String, String> sql = bySignature(JsonLinesFiles.read(out.resolve("sql")));
        int all = JsonLinesFiles.read(out.resolve("all")).size();
        assertThat(yaml).hasSizeGreaterThan(100);
        // the filter kept some rows and dropped others
        assertThat(yaml.size()).isLessThan(all);
        assertThat(yaml.values()).anyMatch(v -> v.contains("family=dex"));
        assertThat(sql).isEqualTo(yaml);
    }

    private static Map<String, String> bySignature(List<JsonNode> rows) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode n : rows) {
            String previous =
                    out.put(
                            n.get("signature").asText(),
                            "priority_fee="
                                    + n.get("priority_fee").asText()
                                    + " per_cu="
                                    + n.get("micro_lamports_per_cu").asText()
                                    + " family="
                                    + n.get("family").asText());
            assertThat(previous).as(n.get("signature").asText()).isNull();
        }
        return out;
    }

    @Test
    void wrongCallsAreErrorsAtTheirLineAndColumnWithTheSignature(@TempDir Path tmp) {
        String signature =
                "expected prio.fee_per_cu(fee BIGINT, signatures INT, compute_units BIGINT)";
        for (String[] c :
                new String[][] {
                    {
                        "prio.fee_per_cu(fee, num_signatures)",
                        "prio.fee_per_cu takes 3 arguments, got 2; " + signature
                    },
                    {
                        "prio.fee_per_cu(fee, signature, compute_units)",
                        "prio.fee_per_cu argument 2 (signatures) must be INT, got STRING; "
                                + signature
                    },
                    {
                        "prio.paid_priority(fee, num_signatures)",
                        "prio.paid_priority takes 3 arguments, got 2; expected"
                                + " prio.paid_priority(fee BIGINT, signatures INT, success"
                                + " BOOLEAN)"
                    },
                    {
                        "prio.no_such(fee)",
                        "No match found for function signature no_such(<NUMERIC>)\n"
                                + "    module 'prio' has no function 'no_such'; its functions:"
                                + " paid_priority (filter), fee_per_cu (map)"
                    },
                    {
                        "kinds.explode(signature, program_ids)",
                        "kinds.explode is a flatmap (it may return more or fewer rows than it"
                                + " gets), not a scalar function: run it in a wasm stage"
                    }
                }) {
            assertCompileError(
                            sqlPipeline(
                                    "SELECT signature,\n       " + c[0] + " AS x FROM txs",
                                    "{id: prio, path: \"" + corpus() + "/priority_fee.wasm\"}",
                                    "{id: kinds, path: \"" + corpus() + "/sdk_kinds.wasm\"}"),
                            "bad.yaml",
                            Map.of(),
                            tmp)
                    .as(c[0])
                    // Calcite places an unknown name at the name, Flink's refusals at the call
                    .hasMessageContaining(
                            c[0].startsWith("prio.no_such")
                                    ? "bad.yaml:11:19: stages.q.query: SQL: "
                                    : "bad.yaml:11:14: stages.q.query: SQL: ")
                    .hasMessageContaining(c[1]);
        }
    }
}
