package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes in a gossipsub sink's options are reported at their line before the job starts. */
class GossipsubSinkCompileTest {
    private static final String PIPELINE =
            """
            name: g
            event_time: {field: block_time}
            sources:
              - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 10}}
            stages:
              - id: w
                kind: window
                input: txs
                window: {type: tumbling, size: 1m}
                aggregates: [{name: n, fn: count}]
            sinks:
              - id: out
                kind: gossipsub
                input: ${IN}
                options: {topic: t, ${OPTS}}
            """;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "w|publish: lake_roots|g.yaml:15:14: sinks.out.options: publish: lake_roots needs"
                        + " option 'lake' (the lake directory the windows are written to)",
                "txs|publish: lake_roots, lake: l|g.yaml:14:12: sinks.out.input: publish:"
                        + " lake_roots needs a window stage's output (window_start and"
                        + " window_end); 'txs' has [slot, block_time, index, signature,"
                        + " fee_payer, fee, success, error, compute_units, program_ids,"
                        + " inner_program_ids, is_vote, num_signatures, version, num_instructions,"
                        + " num_inner_instructions, num_accounts, recent_blockhash]",
                "w|publish: roots|g.yaml:15:34: sinks.out.options.publish: unknown value 'roots';"
                        + " expected rows or lake_roots",
                "w|format: xml|g.yaml:15:33: sinks.out.options.format: unknown format 'xml';"
                        + " expected one of [json, raw, arrow]",
                "w|format: raw|g.yaml:15:33: sinks.out.options.format: format raw publishes the"
                        + " 'data' field (bytes); the published rows have [window_start,"
                        + " window_end, n]",
                "w|bootstrap: /ip4/127.0.0.1/tcp/1|g.yaml:15:14: sinks.out.options: gossipsub:"
                        + " bootstrap address /ip4/127.0.0.1/tcp/1 needs /p2p/<peer id>",
                "w|topics: x|g.yaml:15:33: sinks.out.options.topics: unknown option 'topics'"
                        + " (did you mean 'topic'?); allowed options: topic, bootstrap, listen,"
                        + " key_file, format, publish, lake, min_subscribers, subscriber_timeout"
            })
    void reportsExactMessage(String input, String options, String expected) {
        Path base = Path.of("target").toAbsolutePath();
        assertThatThrownBy(
                        () -> {
                            PipelineLoader.Loaded l =
                                    PipelineLoader.parse(
                                            PIPELINE.replace("${IN}", input)
                                                    .replace("${OPTS}", options),
                                            "g.yaml",
                                            List.of(),
                                            Map.of());
                            CompiledPipeline.compile(l, base);
                        })
                .isInstanceOf(PipelineException.class)
                .hasMessage(expected);
    }
}
