package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files too big, not text, or with values out of range: refused by {@code ipdm validate} and {@code
 * ipdm run} with a positioned message and exit 2, never a Java exception. The big and binary files
 * are made here rather than committed.
 */
class HostileInputTest extends CommandLineTest {
    @TempDir Path dir;

    private static final String PIPELINE =
            """
            name: t
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {OPTIONS}
            sinks:
              - {id: out, kind: terminal, input: txs}
            """;

    private Path pipeline(String options) throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, PIPELINE.replace("OPTIONS", options));
        return f;
    }

    @Test
    void fiftyMegabyteFileIsRefusedByItsSizeBeforeReading() throws Exception {
        Path f = dir.resolve("big.yaml");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(50L << 20); // sparse: nothing is written, so nothing could be parsed
        }
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":1:1: the file is 52428800 bytes; a pipeline file may have at"
                                + " most 1048576 bytes (1 MiB): keep data in sources, not in the"
                                + " pipeline\n");
    }

    @Test
    void longTextIsRefusedBeforeParsing() {
        String text = "name: t\ndescription: " + "x".repeat(2 << 20) + "\n";
        assertThatThrownBy(() -> PipelineLoader.parse(text, "long.yaml", List.of(), Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessage(
                        "long.yaml:1:1: the text has 2097174 characters; a pipeline file may have"
                                + " at most 1048576 (1 MiB): keep data in sources, not in the"
                                + " pipeline");
    }

    @Test
    void invalidUtf8IsReportedAtItsLine() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("name: t\nsources:\n  - id: caf".getBytes(StandardCharsets.UTF_8));
        b.write(0xC3); // a lead byte without its continuation
        b.write("(\n".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("latin.yaml");
        Files.write(f, b.toByteArray());
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":3:12: not UTF-8 text (byte 0xc3 at offset 28); save the file"
                                + " as UTF-8\n");
    }

    @Test
    void binaryFileIsRefusedWithAPosition() throws Exception {
        Path f = dir.resolve("binary.yaml");
        Files.write(f, new byte[] {'n', 'a', 'm', 'e', ':', ' ', 0, 1, 2, '\n'});
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":1:7: a control character (U+0000) is not allowed in YAML; is this a text file?\n");
    }

    @Test
    void sourceOptionBeyondIntIsRefusedNotWrapped() throws Exception {
        Path f = pipeline("transactions_per_slot: 1000000000000");
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":6:38: sources.txs.options.transactions_per_slot:"
                                + " transactions_per_slot must be between 1 and 2147483647, got"
                                + " 1000000000000\n");
    }

    @Test
    void sourceOptionBeyond64BitsIsRefused() throws Exception {
        Path f = pipeline("seed: 123456789012345678901234567890");
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":6:21: sources.txs.options.seed: seed must be between"
                                + " -9223372036854775808 and 9223372036854775807, got"
                                + " 123456789012345678901234567890\n");
    }

    @Test
    void sourceDurationBeyondTheMaximumIsRefused() throws Exception {
        Path f = pipeline("duration: 999999999999d");
        assertThat(run("validate", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":6:25: sources.txs.options.duration: '999999999999d' is longer"
                                + " than the maximum duration, 36500d (100 years)\n");
    }

    @Test
    void runRefusesTooManyWindowsBeforeStarting() throws Exception {
        Path f = dir.resolve("hop.yaml");
        Files.writeString(
                f,
                """
                name: t
                event_time: {field: block_time, unit: seconds}
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions}
                stages:
                  - id: w
                    kind: window
                    input: txs
                    window: {type: hopping, size: 1d, slide: 1ms}
                    aggregates: [{name: n, fn: count}]
                sinks:
                  - {id: out, kind: terminal, input: w}
                """);
        assertThat(run("run", "-q", f.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        f
                                + ":9:46: stages.w.window.slide: each row would fall into 86400000"
                                + " windows (size 1d / slide 1ms); the limit is 10000, so make"
                                + " slide at least 8s640ms\n");
    }

    @Test
    void setWithAHugeListIndexIsBadInput() throws Exception {
        Path f = pipeline("seed: 1");
        assertThat(run("validate", f.toString(), "--set", "sources.99999999999.options.seed=1"))
                .isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "--set sources.99999999999.options.seed: no item '99999999999' in sources;"
                                + " known ids: txs\n");
    }

    @Test
    void stopAfterBeyondTheMaximumIsBadInput() throws Exception {
        Path f = pipeline("seed: 1");
        assertThat(run("run", f.toString(), "--stop-after", "999999999999d")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "--stop-after: expected a duration like 30s or 5m, got '999999999999d'");
    }
}
