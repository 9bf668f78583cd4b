package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code on_corrupt_block: skip} is not a silent drop: the run ends with a warning naming the
 * source and how many blocks it skipped, even with {@code -q}.
 */
class CorruptBlockWarningITCase {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir Path tmp;

    private int run(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void skippedCorruptBlocksAreCountedAndWarned() throws Exception {
        Path blocks =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana",
                        "photon-getblock-base64");
        Assumptions.assumeTrue(Files.isDirectory(blocks), "real Solana blocks not found; skipping");
        Path dir = Files.createDirectories(tmp.resolve("blocks"));
        Files.copy(blocks.resolve("block_314167369.json"), dir.resolve("block_314167369.json"));
        String json = Files.readString(blocks.resolve("block_270893658.json"));
        int start = json.indexOf("\"transaction\":[\"") + "\"transaction\":[\"".length();
        Files.writeString(
                dir.resolve("block_270893658.json"),
                json.substring(0, start) + "!!!" + json.substring(start + 3));

        int code =
                run(
                        "run",
                        "-q",
                        "../jobs/solana-program-activity.yaml",
                        "--replay",
                        dir.toString(),
                        "--set",
                        "sources.txs.options.on_corrupt_block=skip");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString())
                .contains(
                        "ipdm: warning: source 'txs' skipped 1 corrupt block (on_corrupt_block:"
                                + " skip), so its rows are missing");
    }
}
