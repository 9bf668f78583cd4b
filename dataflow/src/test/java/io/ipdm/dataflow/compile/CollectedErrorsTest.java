package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.Normalizer;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.dataflow.validate.SpecParser;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mistake of a file is reported at once with its position: option keys and types in the
 * parser, expressions and fields in the typing pass; and what used to fail only at run time.
 */
class CollectedErrorsTest {
    @TempDir Path tmp;

    private static List<String> errors(Runnable r) {
        try {
            r.run();
        } catch (PipelineException e) {
            return e.errors().stream().map(PipelineError::toString).toList();
        }
        throw new AssertionError("no error");
    }

    @Test
    void severalWrongOptionsAreAllReportedWithPositions() {
        String yaml =
                """
                name: t
                sources:
                  - id: txs
                    kind: solana-synthetic
                    table: transactions
                    options: {seeds: 1, slots: many, vote_fraction: high, duration: soon}
                  - id: live
                    kind: solana-rpc
                    table: blocks
                    options: {start_slot: 1}
                stages:
                  - id: calls
                    kind: wasm
                    input: txs
                    module: m
                    function: f
                    options: {batch: big, on_falure: dead_letter}
                sinks:
                  - {id: out, kind: parquet, input: txs, options: {compresion: zstd}}
                modules:
                  - {id: m, path: m.wasm, config: {timeout: 5}}
                """;
        assertThat(errors(() -> PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of())))
                .containsExactly(
                        "t.yaml:6:22: sources.txs.options.seeds: unknown option 'seeds' (did you"
                                + " mean 'seed'?); allowed options: seed, start_slot, end_slot,"
                                + " slots, duration, transactions_per_slot, vote_fraction,"
                                + " failure_rate, skipped_slot_rate, v0_fraction, target_rate,"
                                + " slots_per_split, account_pool_size, validator_count, late_fraction,"
                                + " late_by",
                        "t.yaml:6:32: sources.txs.options.slots: expected an integer, got a"
                                + " string 'many'",
                        "t.yaml:6:53: sources.txs.options.vote_fraction: expected a number, got a"
                                + " string 'high'",
                        "t.yaml:6:69: sources.txs.options.duration: expected a duration like"
                                + " 500ms, 10s, 1m, 2h or 1d, got a string 'soon'",
                        "t.yaml:10:14: sources.live.options: missing required option 'endpoint'",
                        "t.yaml:17:22: stages.calls.options.batch: expected an integer, got a"
                                + " string 'big'",
                        "t.yaml:17:38: stages.calls.options.on_falure: unknown option"
                                + " 'on_falure' (did you mean 'on_failure'?); allowed options:"
                                + " batch, max_batch_delay, on_failure, dead_letters",
                        "t.yaml:19:64: sinks.out.options.compresion: unknown option 'compresion'"
                                + " (did you mean 'compression'?); allowed options: path,"
                                + " compression, top, order_by",
                        "t.yaml:19:51: sinks.out.options: missing required option 'path'",
                        "t.yaml:21:45: modules.m.config.timeout: expected a duration like 500ms,"
                                + " 10s, 1m, 2h or 1d, got a number '5'");
    }

    @Test
    void typingReportsEveryExpressionAndFieldError() {
        String yaml =
                """
                name: t
                event_time: {field: block_time, unit: seconds}
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 1}}
                stages:
                  - {id: a, kind: filter, input: txs, where: "fees > 1"}
                  - {id: b, kind: project, input: txs, select: {x: "fee +", y: "slott"}}
                  - {id: c, kind: key_by, input: txs, fields: [fee_payr]}
                  - {id: d, kind: filter, input: a, where: "true"}
                sinks:
                  - {id: o1, kind: terminal, input: d}
                  - {id: o2, kind: terminal, input: b}
                  - {id: o3, kind: terminal, input: c}
                  - {id: o4, kind: terminal, input: txs, options: {order_by: nope}}
                """;
        PipelineLoader.Loaded l = PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of());
        List<String> errors =
                errors(() -> PipelineCompiler.compile(l, new StreamExecutionEnvironment(), tmp));
        assertThat(errors).hasSize(5);
        assertThat(errors.get(0))
                .startsWith(
                        "t.yaml:6:47: stages.a.where: invalid expression 'fees > 1': unknown field 'fees'");
        assertThat(errors.get(1))
                .startsWith("t.yaml:7:")
                .contains(": stages.b.select.x: invalid expression 'fee +'");
        assertThat(errors.get(2))
                .startsWith("t.yaml:7:65: stages.b.select.y: invalid expression 'slott'");
        assertThat(errors.get(3))
                .startsWith(
                        "t.yaml:8:48: stages.c.fields[0]: unknown field 'fee_payr' (did you mean"
                                + " 'fee_payer'?)");
        assertThat(errors.get(4))
                .startsWith("t.yaml:14:62: sinks.o4.options.order_by: unknown column 'nope'");
    }

    @Test
    void anExpressionPartThatFailsOnEveryRowIsRefusedBeforeRunning() {
        String yaml =
                """
                name: t
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 1}}
                stages:
                  - {id: a, kind: filter, input: txs, where: "1 / 0 > 0"}
                  - {id: b, kind: filter, input: txs, where: "fee > 1 / 0"}
                  - {id: c, kind: project, input: txs, select: {n: "int('x') + fee", ok: "fee * 2"}}
                sinks:
                  - {id: o1, kind: terminal, input: a}
                  - {id: o2, kind: terminal, input: b}
                  - {id: o3, kind: terminal, input: c}
                """;
        PipelineLoader.Loaded l = PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of());
        assertThat(errors(() -> PipelineCompiler.check(l, tmp)))
                .containsExactly(
                        "t.yaml:5:47: stages.a.where: invalid expression '1 / 0 > 0': a part of it"
                                + " that reads no field fails on every row: / by zero",
                        "t.yaml:6:47: stages.b.where: invalid expression 'fee > 1 / 0': a part of"
                                + " it that reads no field fails on every row: / by zero",
                        "t.yaml:7:53: stages.c.select.n: invalid expression 'int('x') + fee': a"
                                + " part of it that reads no field fails on every row: For input"
                                + " string: \"x\"");
    }

    @Test
    void aStateDirThatIsAFileIsRefused() throws Exception {
        Files.writeString(tmp.resolve("state"), "not a directory");
        String yaml =
                """
                name: t
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 1}}
                sinks:
                  - {id: o, kind: terminal, input: txs}
                runtime: {state_dir: state}
                """;
        PipelineLoader.Loaded l = PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of());
        assertThatThrownBy(() -> PipelineCompiler.check(l, tmp))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "t.yaml:6:22: runtime.state_dir: "
                                + tmp.resolve("state")
                                + " is a file, but "
                                + tmp.resolve("state")
                                + " must be a directory (state and checkpoints are written there)");
    }

    private static String chain(int n) {
        StringBuilder yaml =
                new StringBuilder(
                        """
                        name: t
                        sources:
                          - {id: s0, kind: solana-synthetic, table: transactions, options: {slots: 1}}
                        stages:
                        """);
        for (int i = 1; i <= n; i++) {
            yaml.append("  - {id: s")
                    .append(i)
                    .append(", kind: filter, input: s")
                    .append(i - 1)
                    .append(", where: \"fee >= 0\"}\n");
        }
        return yaml.append("sinks:\n  - {id: o, kind: terminal, input: s")
                .append(n)
                .append("}\n")
                .toString();
    }

    @Test
    void aTenThousandStageChainIsRefusedAtTheFirstStageTooDeep() {
        assertThatThrownBy(() -> PipelineLoader.parse(chain(10_000), "t.yaml", List.of(), Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "t.yaml:1005:38: stages.s1001.input: stage 's1001' is 1001 stages after its"
                                + " source; a chain may be at most 1000 long (Flink builds its job"
                                + " graph recursively); split the pipeline or merge filters");
    }

    @Test
    void graphTypingAndFieldUsageOfATenThousandStageChainUseNoStack() {
        String text = chain(10_000);
        SpecParser.Parsed parsed =
                SpecParser.parse(YamlReader.read(text, "t.yaml"), new Location("t.yaml", 1, 1));
        PipelineLoader.Loaded l =
                new PipelineLoader.Loaded(
                        Normalizer.normalize(parsed.spec()), parsed.sourceMap(), null);
        assertThat(l.graph().order()).hasSize(10_001);
        assertThat(l.graph().cycles()).isEmpty();
        PipelineCompiler.check(l, tmp);
        FieldUsage usage = PipelineCompiler.usage(l, tmp);
        assertThat(usage.needed("s0")).isNull(); // the sink reads every field
        assertThat(usage.needed("s5000")).isNull();
    }

    @Test
    void theLongestChainAllowedCompilesIntoAFlinkGraph() {
        PipelineLoader.Loaded l = PipelineLoader.parse(chain(1_000), "t.yaml", List.of(), Map.of());
        CompiledPipeline plan = CompiledPipeline.compile(l, tmp);
        assertThat(plan.compiled().streams()).hasSize(1_001);
        assertThat(
                        plan.graph()
                                .getJobGraph(getClass().getClassLoader(), new JobID())
                                .getNumberOfVertices())
                .isPositive();
    }
}
