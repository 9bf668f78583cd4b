package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest extends CommandLineTest {
    private static String data() {
        return "sources.txs.options.path=" + SharedData.solana("photon-getblock-base64");
    }

    @Test
    void validFileExitsZero() {
        assertThat(run("validate", "src/test/resources/valid/replay.yaml", "--set", data()))
                .isEqualTo(0);
        assertThat(out.toString())
                .isEqualTo(
                        "ok src/test/resources/valid/replay.yaml (1 sources, 2 stages, 1 sinks)\n");
    }

    @Test
    void brokenFileExitsTwoWithLocation() {
        int code =
                run(
                        "validate",
                        "src/test/resources/valid/replay.yaml",
                        "src/test/resources/invalid/cycle.yaml",
                        "--set",
                        data());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "src/test/resources/invalid/cycle.yaml:12:12: stages.a.input: cycle: a -> b -> a\n");
    }

    @Test
    void aMissingArchiveIsBadInputAtItsLineAndColumn(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("of.yaml");
        Path car = tmp.resolve("epoch-800.car");
        Files.writeString(
                job,
                """
                name: of
                sources:
                  - id: txs
                    kind: old-faithful
                    table: transactions
                    options:
                      path: %s
                sinks:
                  - {id: out, kind: terminal, input: txs}
                """
                        .formatted(car));
        for (String command : new String[] {"validate", "explain"}) {
            err.getBuffer().setLength(0);
            assertThat(run(command, job.toString())).isEqualTo(2);
            assertThat(err.toString())
                    .startsWith(
                            job
                                    + ":7:13: sources.txs.options.path: no such archive: "
                                    + car
                                    + "; make one from getBlock responses with `ipdm solana to-car"
                                    + " BLOCKS... -o FILE`");
        }
    }

    @Test
    void missingFileExitsTwo() {
        assertThat(run("validate", "no/such.yaml")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("no/such.yaml: no such file\n");
    }

    @Test
    void unknownOptionIsBadInput() {
        assertThat(run("validate", "--frobnicate", "x.yaml")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown option: '--frobnicate'");
    }

    @Test
    void versionNamesFlink() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out.toString()).contains("flink 2.3.0");
    }
}
