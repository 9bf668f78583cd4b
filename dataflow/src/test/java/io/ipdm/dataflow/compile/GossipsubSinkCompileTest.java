package io.ipdm.dataflow.compile;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                "w|subscriber_timeout: 5s|g.yaml:15:45: sinks.out.options.subscriber_timeout:"
                        + " subscriber_timeout bounds the wait for min_subscribers, which is 0 (no"
                        + " wait); set min_subscribers or drop subscriber_timeout",
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
                        + " key_file, format, authorized_publishers, publish, lake, min_subscribers,"
                        + " subscriber_timeout"
            })
    void reportsExactMessage(String input, String options, String expected) {
        assertCompileError(
                        PIPELINE.replace("${IN}", input).replace("${OPTS}", options),
                        "g.yaml",
                        Map.of())
                .hasMessage(expected);
    }

    private static CompiledPipeline compile(Path dir, String options) {
        return CompiledPipeline.compile(
                PipelineLoader.parse(
                        PIPELINE.replace("${IN}", "w").replace("${OPTS}", options),
                        "g.yaml",
                        List.of(),
                        Map.of()),
                dir);
    }

    /**
     * With authorized_publishers set, the sink must publish with a listed key: a trust file's keys
     * with publish:t (or publish, all) count, other roles do not; no key_file is refused.
     */
    @Test
    void aSinkMustPublishWithAnAuthorizedKey(@TempDir Path dir) throws Exception {
        Ed25519KeyPair mine = KeyFile.loadOrCreate(dir.resolve("me.key"));
        Ed25519KeyPair other = Ed25519KeyPair.generate();
        Files.writeString(
                dir.resolve("keys.yaml"),
                "keys:\n"
                        + "  - {name: me, peer_id: "
                        + mine.peerId()
                        + ", roles: [\"publish:t\"]}\n");
        Files.writeString(
                dir.resolve("attesters.yaml"),
                "keys:\n  - {name: me, peer_id: " + mine.peerId() + ", roles: [attest]}\n");
        assertThatCode(() -> compile(dir, "key_file: me.key, authorized_publishers: [keys.yaml]"))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                compile(
                                        dir,
                                        "key_file: me.key, authorized_publishers: ["
                                                + other.peerId()
                                                + ", "
                                                + mine.peerId()
                                                + "]"))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () ->
                                compile(
                                        dir,
                                        "key_file: me.key, authorized_publishers: ["
                                                + other.peerId()
                                                + "]"))
                .hasMessage(
                        "g.yaml:15:35: sinks.out.options.key_file: this sink's key "
                                + mine.peerId()
                                + " is not among authorized_publishers of t; its messages would be"
                                + " dropped by every subscriber: add it or use an authorized key");
        assertThatThrownBy(() -> compile(dir, "authorized_publishers: [keys.yaml]"))
                .hasMessage(
                        "g.yaml:15:14: sinks.out.options.key_file: missing: with"
                                + " authorized_publishers set the sink publishes with key_file,"
                                + " which must be one of the authorized keys (create one with"
                                + " `ipdm id --key FILE`)");
        assertThatThrownBy(
                        () ->
                                compile(
                                        dir,
                                        "key_file: me.key, authorized_publishers: attesters.yaml"))
                .hasMessage(
                        "g.yaml:15:66: sinks.out.options.authorized_publishers: trust file"
                                + " attesters.yaml has no key allowed to publish on t (roles"
                                + " publish, publish:t or all)");
    }
}
