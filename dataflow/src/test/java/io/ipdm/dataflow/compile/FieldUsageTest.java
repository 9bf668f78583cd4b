package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.expr.RowExpression;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Projection push-down: which fields each stream keeps. */
class FieldUsageTest {
    @TempDir Path tmp;

    static PipelineLoader.Loaded parse(String stages, String sinks) {
        String yaml =
                """
                name: t
                event_time: {field: block_time, unit: seconds}
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 10}}
                stages:
                %s
                sinks:
                %s
                """
                        .formatted(stages.indent(2), sinks.indent(2));
        return PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of());
    }

    @Test
    void keepsWhatExpressionsKeysAndAggregatesReadPlusTheEventTime() {
        PipelineLoader.Loaded l =
                parse(
                        """
                        - {id: paid, kind: filter, input: txs, where: "fee > 5000 && !is_vote"}
                        - {id: per_program, kind: explode, input: paid, field: program_ids, as: program_id}
                        - {id: by_program, kind: key_by, input: per_program, fields: [program_id]}
                        - id: w
                          kind: window
                          input: by_program
                          window: {type: tumbling, size: 1m}
                          aggregates: [{name: n, fn: count}, {name: cu, fn: sum, field: compute_units}]
                        """,
                        "- {id: out, kind: terminal, input: w}");
        FieldUsage u = PipelineCompiler.usage(l, tmp);
        assertThat(u.needed("w")).isNull();
        assertThat(u.needed("by_program")).containsExactlyInAnyOrder("program_id", "compute_units");
        assertThat(u.needed("per_program"))
                .containsExactlyInAnyOrder("program_id", "compute_units");
        assertThat(u.needed("paid")).containsExactlyInAnyOrder("program_ids", "compute_units");
        assertThat(u.needed("txs"))
                .containsExactlyInAnyOrder(
                        "program_ids", "compute_units", "fee", "is_vote", "block_time");
    }

    @Test
    void aProjectReadsOnlyForTheColumnsReadAfterIt() {
        PipelineLoader.Loaded l =
                parse(
                        """
                        - {id: per_program, kind: explode, input: txs, field: program_ids, as: program_id}
                        - id: flagged
                          kind: project
                          input: per_program
                          select: {block_time: block_time, program_id: program_id, failed: "success ? 0 : 1", f: "fee * 2"}
                        - id: w
                          kind: window
                          input: flagged
                          key_by: [program_id]
                          window: {type: tumbling, size: 1m}
                          aggregates: [{name: failed, fn: sum, field: failed}]
                        - id: counted
                          kind: project
                          input: txs
                          select: {s: slot, f: "fee * 2"}
                        - id: c
                          kind: window
                          input: counted
                          window: {type: tumbling, size: 1m}
                          aggregates: [{name: n, fn: count}]
                        """,
                        """
                        - {id: out, kind: terminal, input: w}
                        - {id: out_c, kind: terminal, input: c}
                        """);
        FieldUsage u = PipelineCompiler.usage(l, tmp);
        assertThat(u.needed("flagged")).containsExactlyInAnyOrder("program_id", "failed");
        // block_time and fee feed columns nothing reads: the explode does not carry them
        assertThat(u.needed("per_program")).containsExactlyInAnyOrder("program_id", "success");
        // a count reads no column: the project computes its first, which reads slot
        assertThat(u.needed("counted")).isEmpty();
        assertThat(u.needed("txs"))
                .containsExactlyInAnyOrder("program_ids", "success", "slot", "block_time");
        PipelineCompiler.Compiled c =
                PipelineCompiler.compile(l, new StreamExecutionEnvironment(), tmp);
        assertThat(c.streams().get("flagged").fieldNames()).containsExactly("program_id", "failed");
        assertThat(c.streams().get("counted").fieldNames()).containsExactly("s");
    }

    @Test
    void sinksLateOutputsAndFirstLastKeepMore() {
        PipelineLoader.Loaded l =
                parse(
                        """
                        - id: w
                          kind: window
                          input: txs
                          key_by: [fee_payer]
                          window: {type: tumbling, size: 1m, late_output: late}
                          aggregates: [{name: f, fn: first, field: fee}]
                        - id: slim
                          kind: project
                          input: txs
                          select: {s: slot, f: "fee * 2"}
                        """,
                        """
                        - {id: out, kind: terminal, input: w}
                        - {id: late_out, kind: terminal, input: late}
                        - {id: slim_out, kind: terminal, input: slim}
                        """);
        FieldUsage u = PipelineCompiler.usage(l, tmp);
        // The late rows carry the window's whole input to a sink.
        assertThat(u.needed("txs")).isNull();
        assertThat(u.needed("slim")).isNull();
        // Fields come from the checked syntax tree: a name in a string literal is no field.
        assertThat(
                        RowExpression.compile(
                                        "fee * 2 > 1 && fee_payer != 'is_vote'",
                                        SolanaTable.TRANSACTIONS.rowType())
                                .fields())
                .containsExactlyInAnyOrder("fee", "fee_payer");
    }

    @Test
    void aWindowWithAWasmAggregateKeepsEveryField() {
        PipelineLoader.Loaded l =
                PipelineLoader.parse(
                        """
                        name: t
                        event_time: {field: block_time, unit: seconds}
                        sources:
                          - {id: txs, kind: solana-synthetic, table: transactions}
                        stages:
                          - id: w
                            kind: window
                            input: txs
                            window: {type: tumbling, size: 1m}
                            aggregates: [{name: n, fn: count}, {wasm: m.f, fields: {a: fee}}]
                        sinks:
                          - {id: out, kind: terminal, input: w}
                        modules:
                          - {id: m, path: m.wasm}
                        """,
                        "t.yaml",
                        List.of(),
                        Map.of());
        // which columns a module reads is in its descriptor, not in the pipeline
        assertThat(PipelineCompiler.usage(l, tmp).needed("txs")).isNull();
    }

    @Test
    void compiledCuPriceJobKeepsTheModulesInputs() {
        PipelineLoader.Loaded l =
                PipelineLoader.load(Path.of("../jobs/solana-cu-price.yaml"), List.of(), Map.of());
        PipelineCompiler.Compiled c =
                PipelineCompiler.compile(l, new StreamExecutionEnvironment(), tmp);
        assertThat(c.streams().get("per_program").fieldNames())
                .contains("fee", "num_signatures", "compute_units", "program_id");
    }

    @Test
    void compiledStreamsOfTheExampleJobAreNarrow() {
        PipelineLoader.Loaded l =
                PipelineLoader.load(
                        Path.of("../jobs/solana-program-activity.yaml"), List.of(), Map.of());
        PipelineCompiler.Compiled c =
                PipelineCompiler.compile(l, new StreamExecutionEnvironment(), tmp);
        assertThat(c.streams().get("txs").fieldNames())
                .containsExactly("block_time", "success", "program_ids", "is_vote");
        // No copy just to drop a field between chained operators: only before a shuffle.
        assertThat(c.streams().get("non_vote").fieldNames())
                .containsExactly("block_time", "success", "program_ids", "is_vote");
        // the project computes only what the window reads, so block_time stops at the explode
        assertThat(c.streams().get("per_program").fieldNames())
                .containsExactly("success", "program_id");
        assertThat(c.streams().get("flagged").fieldNames()).containsExactly("program_id", "failed");
    }
}
