package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that fails on bad input says what is wrong where, in words: file, slot and transaction from
 * the decoder, never the library exception under it (Jackson's {@code JsonEOFException}) or Flink's
 * {@code TaskNotRunningException}, and no Java class name without {@code -v}.
 */
class JobFailureMessagesITCase extends CommandLineTest {
    private static final String JOB = "../jobs/solana-program-activity.yaml";

    @TempDir Path tmp;

    private static String block() throws Exception {
        return Files.readString(
                SharedData.solana("photon-getblock-base64/block_270893658.json"),
                StandardCharsets.UTF_8);
    }

    private String failure() {
        String line =
                err.toString()
                        .lines()
                        .filter(l -> l.startsWith("ipdm: job failed: "))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no failure line in\n" + err));
        assertThat(err.toString())
                .doesNotContain("Exception")
                .doesNotContain("io.ipdm.")
                .doesNotContain("org.apache.");
        return line.substring("ipdm: job failed: ".length());
    }

    @Test
    void aTruncatedBlockNamesFileAndOffsetNotJackson() throws Exception {
        String json = block();
        Path bad = tmp.resolve("block_270893658.json");
        Files.writeString(bad, json.substring(0, json.length() / 2));
        assertThat(run("run", "-q", JOB, "--replay", bad.toString())).isEqualTo(1);
        assertThat(failure()).startsWith(bad + ": slot 270893658").contains("column");
    }

    @Test
    void aCorruptTransactionNamesFileSlotAndIndex() throws Exception {
        String json = block();
        // the sixth transaction's base64 starts with characters base64 does not have
        int at = -1;
        for (int i = 0; i <= 5; i++) {
            at = json.indexOf("\"transaction\":[\"", at + 1);
        }
        int start = at + "\"transaction\":[\"".length();
        Path bad = tmp.resolve("block_270893658.json");
        Files.writeString(bad, json.substring(0, start) + "!!!" + json.substring(start + 3));
        assertThat(run("run", "-q", JOB, "--replay", bad.toString())).isEqualTo(1);
        assertThat(failure()).startsWith(bad + ": slot 270893658, transaction 5");
    }
}
