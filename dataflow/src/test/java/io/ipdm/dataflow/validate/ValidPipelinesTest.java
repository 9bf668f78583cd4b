package io.ipdm.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.AggregateDef.Fn;
import io.ipdm.dataflow.spec.AggregateDef.Mode;
import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.EventTimeSpec.TimeUnit;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.RuntimeSpec.RestartSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidPipelinesTest {
    private static final Path FULL = Path.of("src/test/resources/valid/full.yaml");

    private static String full() throws IOException {
        return Files.readString(FULL);
    }

    @Test
    void fullExampleParsesToExpectedNormalisedModel() throws IOException {
        PipelineSpec spec =
                PipelineLoader.parse(full(), "full.yaml", List.of(), Map.of("DATA_DIR", "/data"))
                        .spec();

        EventTimeSpec pipelineTime =
                new EventTimeSpec(
                        "block_time",
                        TimeUnit.SECONDS,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        EventTimeSpec.Watermarks.PERIODIC);
        Map<String, Object> txOptions = new LinkedHashMap<>();
        txOptions.put("seed", 7L);
        txOptions.put("slots", 1500L);
        txOptions.put("vote_fraction", 0.5);
        PipelineSpec expected =
                new PipelineSpec(
                        "full-example",
                        "all the keys",
                        pipelineTime,
                        List.of(
                                new SourceSpec(
                                        "txs",
                                        "solana-synthetic",
                                        "transactions",
                                        txOptions,
                                        pipelineTime),
                                new SourceSpec(
                                        "blocks",
                                        "solana-replay",
                                        "blocks",
                                        Map.of("path", "/data/photon-getblock-base64"),
                                        new EventTimeSpec(
                                                "slot",
                                                TimeUnit.MILLISECONDS,
                                                Duration.ofSeconds(10),
                                                Duration.ofMinutes(1),
                                                EventTimeSpec.Watermarks.PER_EVENT)),
                                new SourceSpec(
                                        "roots",
                                        "gossipsub",
                                        null,
                                        Map.of(
                                                "topic",
                                                "ipdm/roots",
                                                "fields",
                                                List.of("slot:long", "root:string")),
                                        pipelineTime)),
                        List.of(
                                new StageSpec.Filter("non_vote", "txs", "!is_vote"),
                                new StageSpec.Explode(
                                        "programs", "non_vote", "program_ids", "program_id", true),
                                new StageSpec.Project(
                                        "slim",
                                        "programs",
                                        List.of(
                                                new StageSpec.Projection(
                                                        "program_id", "program_id"),
                                                new StageSpec.Projection("fee", "fee"),
                                                new StageSpec.Projection(
                                                        "failed", "success ? 0 : 1"))),
                                new StageSpec.KeyBy("by_program", "slim", List.of("program_id")),
                                new StageSpec.Window(
                                        "per_minute",
                                        "by_program",
                                        null,
                                        new WindowDef(
                                                WindowDef.Type.HOPPING,
                                                Duration.ofMinutes(5),
                                                Duration.ofMinutes(1),
                                                null,
                                                null,
                                                Duration.ofSeconds(30),
                                                "late_rows"),
                                        List.of(
                                                new AggregateDef.BuiltIn(
                                                        "txs",
                                                        Fn.COUNT,
                                                        null,
                                                        Mode.EXACT,
                                                        null,
                                                        null),
                                                new AggregateDef.BuiltIn(
                                                        "sum_fee",
                                                        Fn.SUM,
                                                        "fee",
                                                        Mode.EXACT,
                                                        null,
                                                        null),
                                                new AggregateDef.BuiltIn(
                                                        "fee_q",
                                                        Fn.QUANTILES,
                                                        "fee",
                                                        Mode.APPROXIMATE,
                                                        null,
                                                        List.of(0.5, 0.99)),
                                                new AggregateDef.BuiltIn(
                                                        "top_payers",
                                                        Fn.TOP_K,
                                                        "program_id",
                                                        Mode.EXACT,
                                                        3,
                                                        null))),
                                new StageSpec.Wasm(
                                        "decoded",
                                        "txs",
                                        "decoder",
                                        "decode",
                                        Map.of("batch", 1024L))),
                        List.of(
                                new SinkSpec("table", "terminal", "per_minute", Map.of()),
                                new SinkSpec(
                                        "late", "jsonl", "late_rows", Map.of("path", "out/late"))),
                        new RuntimeSpec(
                                3,
                                RuntimeSpec.StateBackend.HASHMAP,
                                Duration.ofSeconds(90),
                                "/tmp/ipdm-state",
                                "/tmp/ipdm-state/checkpoints",
                                new RestartSpec(
                                        RestartSpec.Strategy.EXPONENTIAL_DELAY,
                                        5,
                                        Duration.ofSeconds(2)),
                                9249,
                                false,
                                true),
                        List.of(
                                new ModuleSpec(
                                        "decoder",
                                        null,
                                        "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
                                        Map.of("max_memory_pages", 64L))));
        assertThat(spec).isEqualTo(expected);
    }

    @Test
    void defaultsFillRuntimeWhenAbsent() {
        String yaml =
                "name: tiny\nsources:\n  - {id: s, kind: solana-synthetic, table: transactions}\n"
                        + "sinks:\n  - {id: o, kind: terminal, input: s}\n";
        PipelineSpec spec = PipelineLoader.parse(yaml, "tiny.yaml", List.of(), Map.of()).spec();
        assertThat(spec.runtime())
                .isEqualTo(
                        new RuntimeSpec(
                                2,
                                RuntimeSpec.StateBackend.ROCKSDB,
                                Duration.ofSeconds(10),
                                "state/tiny",
                                "state/tiny/checkpoints",
                                new RestartSpec(
                                        RestartSpec.Strategy.FIXED_DELAY,
                                        3,
                                        Duration.ofSeconds(2))));
        assertThat(spec.eventTime()).isNull();
        assertThat(spec.stages()).isEmpty();
    }

    @Test
    void setOverridesSelectListItemsById() throws IOException {
        PipelineSpec spec =
                PipelineLoader.parse(
                                full(),
                                "full.yaml",
                                List.of(
                                        "runtime.parallelism=1",
                                        "sources.txs.options.seed=99",
                                        "stages.non_vote.where=fee > 5000",
                                        "sinks.late.options.path=/tmp/x"),
                                Map.of())
                        .spec();
        assertThat(spec.runtime().parallelism()).isEqualTo(1);
        assertThat(spec.sources().get(0).options().get("seed")).isEqualTo(99L);
        assertThat(spec.stages().get(0))
                .isEqualTo(new StageSpec.Filter("non_vote", "txs", "fee > 5000"));
        assertThat(spec.sinks().get(1).options()).isEqualTo(Map.of("path", "/tmp/x"));
    }

    @Test
    void setOverrideOfUnknownIdListsKnownIds() {
        assertThatThrownBy(
                        () ->
                                PipelineLoader.parse(
                                        full(),
                                        "full.yaml",
                                        List.of("stages.nope.where=true"),
                                        Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "--set stages.nope.where: no item 'nope' in stages; known ids: non_vote,"
                                + " programs, slim, by_program, per_minute, decoded");
    }

    @Test
    void setOverrideErrorsPointAtTheOverride() {
        assertThatThrownBy(
                        () ->
                                PipelineLoader.parse(
                                        full(),
                                        "full.yaml",
                                        List.of("runtime.parallelism=many"),
                                        Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "--set runtime.parallelism: runtime.parallelism: expected an integer, got a string 'many'");
    }

    @Test
    void environmentVariableReplacesWholeScalarWithTypedValue() {
        String yaml =
                "name: tiny\nsources:\n  - {id: s, kind: solana-synthetic, table: transactions}\n"
                        + "sinks:\n  - {id: o, kind: terminal, input: s}\n"
                        + "runtime:\n  parallelism: ${PAR}\n";
        PipelineSpec spec =
                PipelineLoader.parse(yaml, "t.yaml", List.of(), Map.of("PAR", "4")).spec();
        assertThat(spec.runtime().parallelism()).isEqualTo(4);
    }

    @Test
    void durationsRoundTrip() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1 minute")).isNull();
        assertThat(Durations.format(Duration.ofSeconds(3690))).isEqualTo("1h1m30s");
    }
}
