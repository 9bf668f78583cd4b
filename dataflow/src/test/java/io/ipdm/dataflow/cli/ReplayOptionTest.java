package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --replay PATH...} on {@code validate} and {@code explain} as on {@code run}, and on every
 * Solana source kind, the Old Faithful one of {@code jobs/backfill-then-live.yaml} included.
 */
class ReplayOptionTest {
    private static final String JOB = "../jobs/backfill-then-live.yaml";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir Path tmp;

    private int run(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String blocks() throws IOException {
        return Files.createDirectories(tmp.resolve("blocks")).toString();
    }

    @Test
    void validateTakesReplayAndAnOldFaithfulSourceIsReplayed() throws IOException {
        assertThat(run("validate", JOB, "--replay", blocks())).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).startsWith("ok " + JOB);
    }

    @Test
    void explainShowsTheReplaySource() throws IOException {
        assertThat(run("explain", JOB, "--replay", blocks())).as(err.toString()).isEqualTo(0);
        assertThat(out.toString())
                .contains("sources\n  txs  solana-replay, table transactions, path " + blocks())
                .doesNotContain("old-faithful");
    }

    @Test
    void aJobWithoutASolanaSourceIsBadInputNamingTheFile() throws IOException {
        Path job = tmp.resolve("roots.yaml");
        Files.writeString(
                job,
                """
                name: roots
                sources:
                  - id: roots
                    kind: gossipsub
                    options: {topic: t, fields: ["slot:long"]}
                sinks:
                  - id: out
                    kind: terminal
                    input: roots
                """);
        assertThat(run("validate", job.toString(), "--replay", blocks())).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(job + ": --replay: no Solana source")
                .doesNotContain("Usage:");
    }
}
