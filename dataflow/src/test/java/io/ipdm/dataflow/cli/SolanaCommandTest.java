package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipdm solana to-car} and {@code gen-car} over the real getBlock responses: the archives
 * they write and their summaries, the same archive for the same seed, and bad input in words.
 */
class SolanaCommandTest extends CommandLineTest {
    @Test
    void toCarAndGenCarWriteArchivesOfTheRealBlocks(@TempDir Path tmp) throws Exception {
        String base64 = SharedData.solana("photon-getblock-base64").toString();
        String base58 = SharedData.solana("nyanbot-getblock-base58").toString();
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
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).startsWith("ipdm solana index: no such archive: ");
    }

    @Test
    void badInputIsSaidInWords(@TempDir Path tmp) throws Exception {
        assertThat(run("solana", "to-car", tmp.resolve("none").toString(), "-o", "x.car"))
                .isEqualTo(IpdmCli.BAD_INPUT);
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

    /**
     * to-car ends with its summary on stderr (the progress line above it, files read of all, goes
     * to the terminal); -q leaves both out and keeps the result line on stdout.
     */
    @Test
    void toCarEndsWithARightSummaryUnlessQuiet(@TempDir Path tmp) throws Exception {
        String base64 = SharedData.solana("photon-getblock-base64").toString();
        String base58 = SharedData.solana("nyanbot-getblock-base58").toString();
        Path car = tmp.resolve("six.car");
        assertThat(run("solana", "to-car", base64, base58, "-o", car.toString()))
                .as(err.toString())
                .isZero();
        assertThat(err.toString())
                .matches(
                        Pattern.quote(
                                        String.format(
                                                Locale.ROOT,
                                                "ipdm: wrote 6 blocks (slots 254170887-443787702),"
                                                        + " 2,264 transactions, %,d bytes in ",
                                                Files.size(car)))
                                + "[0-9]+\\.[0-9] s \\([0-9,]+ blocks/s\\)\n");
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path quiet = tmp.resolve("quiet.car");
        assertThat(run("solana", "to-car", "-q", base64, base58, "-o", quiet.toString())).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).startsWith(quiet + ": root bafy");
        assertThat(Files.readAllBytes(quiet)).isEqualTo(Files.readAllBytes(car));
    }

    @Test
    void toCarsProgressLineCountsFilesAndTransactions() {
        assertThat(SolanaCommand.ToCar.status(3, 6, 1234, 2000))
                .isEqualTo("read 3/6 getBlock files (50%) | transactions 1,234 | 2 files/s");
        assertThat(SolanaCommand.ToCar.status(6, 6, 2264, 3000))
                .isEqualTo(
                        "read 6/6 getBlock files (100%) | transactions 2,264 | 2 files/s | writing"
                                + " the archive");
    }

    /**
     * gen-car and index end with their summary on stderr (the progress line above it goes to the
     * terminal): the blocks, slots, transactions and bytes of what they wrote; -q leaves it out.
     */
    @Test
    void genCarAndIndexEndWithARightSummaryUnlessQuiet(@TempDir Path tmp) throws Exception {
        Path templatesDir = SharedData.solana("photon-getblock-base64");
        Path car = tmp.resolve("gen.car");
        assertThat(
                        run(
                                "solana",
                                "gen-car",
                                templatesDir.toString(),
                                "--transactions",
                                "3000",
                                "--seed",
                                "5",
                                "-o",
                                car.toString()))
                .as(err.toString())
                .isZero();
        List<GetBlockArchive.ArchiveBlock> templates =
                GetBlockArchive.readAll(SolanaCommand.blockFiles(List.of(templatesDir)));
        List<ArchiveGenerator.Planned> plan =
                ArchiveGenerator.plan(templates, 5, 300_000_000L, 3000);
        long txs = 0;
        for (ArchiveGenerator.Planned p : plan) {
            txs += templates.get(p.template()).txs().size();
        }
        assertThat(err.toString())
                .matches(
                        Pattern.quote(
                                        String.format(
                                                Locale.ROOT,
                                                "ipdm: wrote %,d blocks (slots %d-%d), %,d"
                                                        + " transactions, %,d bytes in ",
                                                plan.size(),
                                                plan.get(0).slot(),
                                                plan.get(plan.size() - 1).slot(),
                                                txs,
                                                Files.size(car)))
                                + "[0-9]+\\.[0-9] s \\([0-9,]+ blocks/s\\)\n");
        assertThat(out.toString())
                .contains(plan.size() + " blocks")
                .contains(txs + " transactions");

        err.getBuffer().setLength(0);
        assertThat(run("solana", "index", car.toString(), "-o", tmp.resolve("idx").toString()))
                .as(err.toString())
                .isZero();
        Matcher m =
                Pattern.compile(
                                "ipdm: indexed ([0-9,]+) blocks in ([0-9,]+) sections of "
                                        + Pattern.quote(car.toString())
                                        + " \\(([0-9,]+) bytes\\) in [0-9]+\\.[0-9] s\n")
                        .matcher(err.toString());
        assertThat(m.matches()).as(err.toString()).isTrue();
        assertThat(m.group(1)).isEqualTo(String.format(Locale.ROOT, "%,d", plan.size()));
        // every block has at least its transactions' nodes besides, and the archive its Epoch
        assertThat(Long.parseLong(m.group(2).replace(",", ""))).isGreaterThan(plan.size() + txs);
        assertThat(m.group(3)).isEqualTo(String.format(Locale.ROOT, "%,d", Files.size(car)));

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path quiet = tmp.resolve("quiet.car");
        assertThat(
                        run(
                                "solana",
                                "gen-car",
                                "-q",
                                templatesDir.toString(),
                                "--transactions",
                                "3000",
                                "--seed",
                                "5",
                                "-o",
                                quiet.toString()))
                .isZero();
        assertThat(
                        run(
                                "solana",
                                "index",
                                "-q",
                                quiet.toString(),
                                "-o",
                                tmp.resolve("q").toString()))
                .isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).startsWith(quiet + ": root bafy");
    }
}
