package io.ipdm.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.PipelineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed pipeline under resources/invalid gives exactly this message, with line and
 * column.
 */
class InvalidPipelinesTest {
    private static final Path DIR = Path.of("src/test/resources/invalid");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "aggregates-as-map.yaml",
                        "aggregates-as-map.yaml:15:7: stages.w.aggregates: expected a list, got a map; did you miss a dash `-`?"),
                Arguments.of(
                        "bad-duration.yaml",
                        "bad-duration.yaml:13:36: stages.w.window.size: expected a duration like 500ms, 10s, 1m, 2h or 1d, got a string '1 minute'"),
                Arguments.of(
                        "bad-indentation.yaml",
                        "bad-indentation.yaml:5:4: invalid YAML: while parsing a block collection: expected <block end>, but found '<block mapping start>'"),
                Arguments.of(
                        "count-with-field.yaml",
                        "count-with-field.yaml:15:28: stages.w.aggregates[0].field: count takes no field; use count_distinct to count distinct values"),
                Arguments.of(
                        "cumulative-step-not-divisor.yaml",
                        "cumulative-step-not-divisor.yaml:13:48: stages.w.window.step: size (1h) must be a whole multiple of step (7m)"),
                Arguments.of("cycle.yaml", "cycle.yaml:12:12: stages.a.input: cycle: a -> b -> a"),
                Arguments.of(
                        "duplicate-id.yaml",
                        "duplicate-id.yaml:10:5: stages[0]: duplicate id 'txs'; ids of sources and stages must be unique"),
                Arguments.of(
                        "duplicate-key.yaml",
                        "duplicate-key.yaml:2:1: duplicate key 'name' (first at line 1)"),
                Arguments.of("empty-file.yaml", "empty-file.yaml:1:1: the file is empty"),
                Arguments.of(
                        "event-time-missing-field.yaml",
                        "event-time-missing-field.yaml:3:3: event_time: missing required key 'field'"),
                Arguments.of(
                        "hopping-missing-slide.yaml",
                        "hopping-missing-slide.yaml:14:7: stages.w.window: a hopping window needs 'slide'"),
                Arguments.of(
                        "invalid-id.yaml",
                        "invalid-id.yaml:10:9: stages[0].id: invalid id 'per.minute'; use letters, digits, '_' and '-', starting with a letter or '_'"),
                Arguments.of(
                        "invalid-yaml.yaml",
                        "invalid-yaml.yaml:5:6: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got :"),
                Arguments.of(
                        "late-output-collides.yaml",
                        "late-output-collides.yaml:13:53: stages.w.window.late_output: id 'txs' is already used by another source or stage"),
                Arguments.of(
                        "missing-env-var.yaml",
                        "missing-env-var.yaml:10:14: environment variable IPDM_TEST_UNSET_VARIABLE is not set; set it or write ${IPDM_TEST_UNSET_VARIABLE:-default}"),
                Arguments.of(
                        "missing-name.yaml", "missing-name.yaml:1:1: missing required key 'name'"),
                Arguments.of(
                        "missing-source-kind.yaml",
                        "missing-source-kind.yaml:3:5: sources.txs: missing required key 'kind'"),
                Arguments.of(
                        "module-without-path-or-cid.yaml",
                        "module-without-path-or-cid.yaml:10:5: modules.m: a module needs 'path' (a .wasm file) or 'cid' (a module added with `ipdm wasm add`), or both to pin the file's CID"),
                Arguments.of(
                        "parallelism-not-integer.yaml",
                        "parallelism-not-integer.yaml:10:16: runtime.parallelism: expected an integer, got a string 'two'"),
                Arguments.of(
                        "metrics-port-out-of-range.yaml",
                        "metrics-port-out-of-range.yaml:10:17: runtime.metrics_port: metrics_port must be between 1 and 65535, got 70000"),
                Arguments.of(
                        "parallelism-zero.yaml",
                        "parallelism-zero.yaml:10:16: runtime.parallelism: parallelism must be between 1 and 1024, got 0"),
                Arguments.of(
                        "quantile-out-of-range.yaml",
                        "quantile-out-of-range.yaml:15:54: stages.w.aggregates[0].quantiles[1]: a quantile must be between 0 and 1, got 1.5"),
                Arguments.of(
                        "restart-options-unknown.yaml",
                        "restart-options-unknown.yaml:12:5: runtime.restart: unknown key 'retries'; allowed keys: strategy, attempts, delay"),
                Arguments.of(
                        "root-is-list.yaml",
                        "root-is-list.yaml:1:1: expected a map of keys (name, description, event_time, sources, stages, sinks, runtime, modules), got a list"),
                Arguments.of(
                        "select-not-map.yaml",
                        "select-not-map.yaml:13:13: stages.p.select: expected a map of output name to CEL expression, got a list"),
                Arguments.of(
                        "slide-exceeds-size.yaml",
                        "slide-exceeds-size.yaml:13:46: stages.w.window.slide: slide (5m) must not exceed size (1m)"),
                Arguments.of(
                        "source-options-nested-map.yaml",
                        "source-options-nested-map.yaml:7:13: sources.txs.options.rate: expected a value or a list of values, got a map"),
                Arguments.of(
                        "sources-as-map.yaml",
                        "sources-as-map.yaml:3:3: sources: expected a list, got a map; did you miss a dash `-`?"),
                Arguments.of(
                        "stage-missing-kind.yaml",
                        "stage-missing-kind.yaml:10:5: stages.p: missing required key 'kind'; allowed: filter, project, explode, key_by, window, wasm, sql"),
                Arguments.of(
                        "stages-as-map.yaml",
                        "stages-as-map.yaml:10:3: stages: expected a list, got a map; did you miss a dash `-`?"),
                Arguments.of(
                        "sum-without-field.yaml",
                        "sum-without-field.yaml:15:9: stages.w.aggregates[0]: sum needs 'field'"),
                Arguments.of(
                        "top-k-without-k.yaml",
                        "top-k-without-k.yaml:15:9: stages.w.aggregates[0]: top_k needs 'k'"),
                Arguments.of(
                        "tumbling-with-slide.yaml",
                        "tumbling-with-slide.yaml:13:47: stages.w.window.slide: 'slide' is not used by tumbling windows; they take: size"),
                Arguments.of(
                        "unknown-aggregate.yaml",
                        "unknown-aggregate.yaml:15:14: stages.w.aggregates[0].fn: unknown value 'median'; allowed: count, sum, min, max, avg, count_distinct, top_k, quantiles, first, last"),
                Arguments.of(
                        "unknown-input.yaml",
                        "unknown-input.yaml:12:12: stages.f.input: unknown input 'txz' (did you mean 'txs'?); known ids: txs"),
                Arguments.of(
                        "unknown-sink-input.yaml",
                        "unknown-sink-input.yaml:12:12: sinks.out.input: unknown input 'result'; known ids: txs"),
                Arguments.of(
                        "unknown-sink-kind.yaml",
                        "unknown-sink-kind.yaml:8:11: sinks.out.kind: unknown sink kind 'kafka'; allowed: terminal, jsonl, parquet, gossipsub, postgres, duckdb"),
                Arguments.of(
                        "misspelt-source-kind.yaml",
                        "misspelt-source-kind.yaml:4:11: sources.txs.kind: unknown source kind 'old-faithfull' (did you mean 'old-faithful'?); allowed: solana-replay,"
                                + " solana-synthetic, solana-rpc, old-faithful, lake, gossipsub"),
                Arguments.of(
                        "unknown-source-kind.yaml",
                        "unknown-source-kind.yaml:4:11: sources.txs.kind: unknown source kind 'solana-live'; allowed: solana-replay, solana-synthetic, solana-rpc,"
                                + " old-faithful, lake, gossipsub"),
                Arguments.of(
                        "unknown-stage-key.yaml",
                        "unknown-stage-key.yaml:13:5: stages.f: unknown key 'wher' (did you mean 'where'?); allowed keys: id, kind, input, where"
                                + "\n"
                                + "unknown-stage-key.yaml:10:5: stages.f: missing required key 'where'"),
                Arguments.of(
                        "unknown-state-backend.yaml",
                        "unknown-state-backend.yaml:10:18: runtime.state_backend: unknown value 'memory'; allowed: rocksdb, hashmap"),
                Arguments.of(
                        "unknown-top-key.yaml",
                        "unknown-top-key.yaml:9:1: unknown key 'sink' (did you mean 'sinks'?); allowed keys: name, description, event_time, sources, stages, sinks, runtime, modules"),
                Arguments.of(
                        "unknown-window-type.yaml",
                        "unknown-window-type.yaml:13:20: stages.w.window.type: unknown value 'sliding'; allowed: tumbling, hopping, session, cumulative"),
                Arguments.of(
                        "wasm-unknown-module.yaml",
                        "wasm-unknown-module.yaml:13:13: stages.x.module: unknown module 'decoder'; declared modules: none (add a modules: section)"),
                Arguments.of(
                        "duration-overflow.yaml",
                        "duration-overflow.yaml:13:36: stages.w.window.size: '9223372036854775807ms1d' is longer than the maximum duration, 36500d (100 years)"),
                Arguments.of(
                        "lateness-too-long.yaml",
                        "lateness-too-long.yaml:13:58: stages.w.window.allowed_lateness: '999999999999d' is longer than the maximum duration, 36500d (100 years)"),
                Arguments.of(
                        "hopping-too-many-windows.yaml",
                        "hopping-too-many-windows.yaml:13:46: stages.w.window.slide: each row would fall into 86400000 windows (size 1d / slide 1ms); the limit is 10000, so make slide at least 8s640ms"),
                Arguments.of(
                        "cumulative-too-many-windows.yaml",
                        "cumulative-too-many-windows.yaml:13:52: stages.w.window.step: each row would fall into 52560000 windows (size 36500d / step 1m); the limit is 10000, so make step at least 3d15h36m"),
                Arguments.of(
                        "top-k-out-of-range.yaml",
                        "top-k-out-of-range.yaml:15:42: stages.w.aggregates[0].k: k must be between 1 and 2147483647, got 99999999999"),
                Arguments.of(
                        "out-of-orderness-too-long.yaml",
                        "out-of-orderness-too-long.yaml:5:25: event_time.max_out_of_orderness: '999999999999d' is longer than the maximum duration, 36500d (100 years)"),
                Arguments.of(
                        "watermarks-unknown.yaml",
                        "watermarks-unknown.yaml:5:15: event_time.watermarks: unknown value 'every_row'; allowed: periodic, per_event"),
                Arguments.of(
                        "parallelism-beyond-64-bits.yaml",
                        "parallelism-beyond-64-bits.yaml:7:16: runtime.parallelism: parallelism must be between 1 and 1024, got 99999999999999999999999"),
                Arguments.of(
                        "yaml-alias.yaml",
                        "yaml-alias.yaml:5:10: YAML aliases (*bt) are not supported; write the value out here"),
                Arguments.of(
                        "billion-laughs.yaml",
                        "billion-laughs.yaml:3:8: YAML aliases (*a) are not supported; write the value out here"),
                Arguments.of(
                        "map-key-is-a-list.yaml",
                        "map-key-is-a-list.yaml:3:61: a map key must be a plain value such as a name, not a list or map"),
                Arguments.of(
                        "binary-value.yaml",
                        "binary-value.yaml:2:14: unsupported YAML value (a binary or other tagged value); write it as plain text"),
                Arguments.of(
                        "nesting-too-deep.yaml",
                        "nesting-too-deep.yaml:6:77: maps and lists nest deeper than 64 levels here"),
                Arguments.of(
                        "long-value-is-cut.yaml",
                        "long-value-is-cut.yaml:3:21: sources.txs.kind: unknown source kind 'solana-solana-solana-solana-solana-solana-solana-solana-solana-solana-solana-sol... (700 chars)'; allowed: solana-replay, solana-synthetic, solana-rpc, old-faithful, lake, gossipsub"),
                Arguments.of(
                        "window-without-event-time.yaml",
                        "window-without-event-time.yaml:11:13: stages.w.window: a window needs event time, but source 'txs' has none; add event_time: {field: block_time, unit: seconds} to the pipeline or to the source"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactMessage(String file, String expected) throws IOException {
        String text = Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PipelineLoader.parse(text, file, List.of(), Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessage(expected);
    }

    @Test
    void everyCorpusFileHasACase() throws IOException {
        List<String> listed = cases().map(a -> (String) a.get()[0]).sorted().toList();
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(listed);
        }
        assertThat(listed).hasSizeGreaterThanOrEqualTo(25);
    }
}
