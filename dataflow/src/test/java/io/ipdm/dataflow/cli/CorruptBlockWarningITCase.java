package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code on_corrupt_block: skip} is not a silent drop: the run ends with a warning naming the
 * source and how many blocks it skipped, even with {@code -q}.
 */
class CorruptBlockWarningITCase extends CommandLineTest {
    @TempDir Path tmp;

    @Test
    void skippedCorruptBlocksAreCountedAndWarned() throws Exception {
        Path blocks = SharedData.solana("photon-getblock-base64");
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
