package io.ipdm.dataflow.compile;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A gossipsub source's declared rows, and mistakes in its options reported at their line. */
class GossipsubSourceCompileTest {
    private static final String PIPELINE =
            """
            name: g
            sources:
              - id: roots
                kind: gossipsub
                options: {${OPTS}}
            sinks:
              - {id: out, kind: terminal, input: roots}
            """;

    private static PipelineLoader.Loaded load(String options) {
        return PipelineLoader.parse(
                PIPELINE.replace("${OPTS}", options), "g.yaml", List.of(), Map.of());
    }

    @Test
    void rowsAreTheDeclaredFieldsThenTheMetadata() {
        PipelineCompiler.Compiled c =
                PipelineCompiler.compile(
                        load("topic: t, fields: [slot:long, root_cid:string, fee:double]"),
                        new StreamExecutionEnvironment(),
                        Path.of("target"));
        assertThat(c.streams().get("roots").fieldNames())
                .containsExactly(
                        "slot", "root_cid", "fee", "topic", "message_id", "author", "seqno");
    }

    @Test
    void aTableIsRejected() {
        PipelineLoader.Loaded l =
                PipelineLoader.parse(
                        PIPELINE.replace("kind: gossipsub", "kind: gossipsub\n    table: blocks")
                                .replace("${OPTS}", "topic: t, fields: [a:long]"),
                        "g.yaml",
                        List.of(),
                        Map.of());
        assertThatThrownBy(
                        () ->
                                PipelineCompiler.compile(
                                        l, new StreamExecutionEnvironment(), Path.of("target")))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "g.yaml:5:12: sources.roots.table: a gossipsub source has no table;"
                                + " declare the payload's fields in options.fields, e.g."
                                + " [slot:long, root_cid:string]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "fields: [slot:long]|g.yaml:5:14: sources.roots.options: missing required option"
                        + " 'topic'",
                "topic: t|g.yaml:5:14: sources.roots.options: missing required option 'fields'"
                        + " (the payload's fields as name:type, e.g. [slot:long, root_cid:string];"
                        + " types: string, long, int, double, boolean, bytes)",
                "topic: t, fields: [a:long], verify_timeout: 5m|g.yaml:5:59:"
                        + " sources.roots.options.verify_timeout: 'verify_timeout' is only used"
                        + " with verified_only: true; set it or drop verify_timeout",
                "topic: t, format: xml, fields: [a:long]|g.yaml:5:33: sources.roots.options.format:"
                        + " unknown format 'xml'; expected one of [json, raw, arrow]",
                "topic: t, fields: [slot:float]|g.yaml:5:33: sources.roots.options.fields: field"
                        + " 'slot:float' should be name:type with type one of string, long, int,"
                        + " double, boolean, bytes",
                "topic: t, fields: [topic:string]|g.yaml:5:33: sources.roots.options.fields:"
                        + " gossipsub: payload field 'topic' clashes with metadata field of that"
                        + " name",
                "topic: t, format: raw, fields: [a:long]|g.yaml:5:46: sources.roots.options.fields:"
                        + " format raw emits the payload as bytes in 'data'; remove 'fields'",
                "topic: t, fields: [a:long], topics: x|g.yaml:5:51: sources.roots.options.topics:"
                        + " unknown option 'topics' (did you mean 'topic'?); allowed options:"
                        + " topic, bootstrap, listen, key_file, format, authorized_publishers,"
                        + " fields, dedup_window, queue_capacity",
                "topic: t, fields: [a:long], bootstrap: /ip4/127.0.0.1/tcp/1|g.yaml:5:14:"
                        + " sources.roots.options: gossipsub: bootstrap address"
                        + " /ip4/127.0.0.1/tcp/1 needs /p2p/<peer id>",
                "topic: t, fields: [a:long], authorized_publishers: [12D3KooNope]|g.yaml:5:66:"
                        + " sources.roots.options.authorized_publishers: '12D3KooNope' is neither"
                        + " a peer id nor a .yaml trust file (",
                "topic: t, fields: [a:long], authorized_publishers: []|g.yaml:5:66:"
                        + " sources.roots.options.authorized_publishers: empty list: omit"
                        + " authorized_publishers to allow anyone",
                "topic: t, fields: [a:long], authorized_publishers: nokeys.yaml|g.yaml:5:66:"
                        + " sources.roots.options.authorized_publishers: trust file nokeys.yaml: "
            })
    void reportsExactMessage(String options, String expected) {
        assertCompileError(PIPELINE.replace("${OPTS}", options), "g.yaml", Map.of())
                .hasMessageStartingWith(expected);
    }
}
