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
 * {@code ipdm solana to-car} and {@code gen-car} over the real getBlock responses: the archives
 * they write and their summaries, the same archive for the same seed, and bad input in words.
 */
class SolanaCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static Path solana(String dir) {
        Path p =
                Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"), "solana", dir);
        Assumptions.assumeTrue(
                Files.isDirectory(p), "shared test data not found at " + p.toAbsolutePath());
        return p;
    }

    @Test
    void toCarAndGenCarWriteArchivesOfTheRealBlocks(@TempDir Path tmp) throws Exception {
        String base64 = solana("photon-getblock-base64").toString();
        String base58 = solana("nyanbot-getblock-base58").toString();
        Path real = tmp.resolve("real.car");
        assertThat(run("solana", "to-car", base64, base58, "-o", real.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .startsWith(real + ": root bafy")
                .contains(", 6 blocks (slots ")
                .contains(", 2264 transactions, " + Files.size(real) + " bytes");
        Path gen1 = tmp.resolve("gen1.car");
        Path gen2 = tmp.resolve("gen2.car");
        for (Path g : new Path[] {gen1, gen2}) {
            assertThat(
                            run(
                                    "solana",
                                    "gen-car",
                                    base64,
                                    base58,
                                    "--transactions",
                                    "5000",
                                    "--seed",
                                    "3",
                                    "-o",
                                    g.toString()))
                    .as(err.toString())
                    .isZero();
        }
        assertThat(out.toString()).contains(gen1 + ": root bafy").contains("slots 300000000-");
        assertThat(Files.readAllBytes(gen1)).isEqualTo(Files.readAllBytes(gen2));

        // Old Faithful's own indexes of the generated archive, read back by the archive source
        Path idx = tmp.resolve("idx");
        out.getBuffer().setLength(0);
        assertThat(run("solana", "index", gen1.toString(), "-o", idx.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains("-mainnet-slot-to-cid.index: ")
                .contains("-mainnet-cid-to-offset-and-size.index: ")
                .contains("epoch-" + 300_000_000L / 432_000 + "-bafy");
        try (var files = Files.list(idx)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .hasSize(2)
                    .allMatch(f -> f.endsWith(".index"));
        }
        err.getBuffer().setLength(0);
        assertThat(run("solana", "index", real.resolveSibling("none.car").toString()))
                .isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString()).startsWith("ipdm solana index: no such archive: ");
    }

    @Test
    void badInputIsSaidInWords(@TempDir Path tmp) throws Exception {
        assertThat(run("solana", "to-car", tmp.resolve("none").toString(), "-o", "x.car"))
                .isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString())
                .isEqualTo("ipdm solana: no such file or directory: " + tmp.resolve("none") + "\n");
        Path notJson = tmp.resolve("block_5.json");
        Files.writeString(notJson, "{\"blockhash\": ");
        err.getBuffer().setLength(0);
        assertThat(
                        run(
                                "solana",
                                "gen-car",
                                notJson.toString(),
                                "-o",
                                tmp.resolve("o.car").toString()))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).startsWith("ipdm solana: " + notJson + ": not readable JSON: ");
    }
}
