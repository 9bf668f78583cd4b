package io.ipdm.dataflow.cli;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.FaithfulIndex;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.MultiformatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipdm solana ...}: Solana data tools (Old Faithful archives from getBlock responses). */
@Command(
        name = "solana",
        mixinStandardHelpOptions = true,
        description =
                "Solana data tools: Old Faithful archives from getBlock responses, and their"
                        + " indexes.",
        subcommands = {
            SolanaCommand.ToCar.class,
            SolanaCommand.GenCar.class,
            SolanaCommand.Index.class
        })
final class SolanaCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required (to-car, gen-car, index)");
    }

    /** getBlock files and directories of them (block_*.json or *.json). */
    static List<Path> blockFiles(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().matches("block_\\d+\\.json"))
                            .sorted()
                            .forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException("no such file or directory: " + p);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no getBlock files (block_<slot>.json) in " + inputs);
        }
        return out;
    }

    /**
     * What to-car and gen-car share: getBlock files in, one archive out, the summary printed, and
     * bad input reported in words.
     */
    abstract static class CarCommand implements Callable<Integer> {
        @Parameters(
                paramLabel = "BLOCKS",
                arity = "1..*",
                description = "getBlock files or directories")
        List<Path> inputs;

        @Option(
                names = {"-o", "--output"},
                required = true,
                description = "the archive to write")
        Path output;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        /** Writes the archive from the blocks read from {@code inputs}. */
        abstract GetBlockArchive.Summary write(List<GetBlockArchive.ArchiveBlock> blocks)
                throws IOException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                GetBlockArchive.Summary s = write(GetBlockArchive.readAll(blockFiles(inputs)));
                print(out, output, s);
                return IpdmCli.OK;
            } catch (SolanaDecodeException | LakesException | MultiformatException e) {
                err.println("ipdm solana: " + e.getMessage());
                return IpdmCli.BAD_INPUT;
            } catch (IOException e) {
                err.println("ipdm solana: " + e.getMessage());
                return IpdmCli.JOB_FAILED;
            }
        }
    }

    @Command(
            name = "to-car",
            mixinStandardHelpOptions = true,
            description =
                    "Convert getBlock responses (encoding base64 or base58, full transaction"
                            + " details) into one Old Faithful CAR archive, in slot order.")
    static final class ToCar extends CarCommand {
        @Override
        GetBlockArchive.Summary write(List<GetBlockArchive.ArchiveBlock> blocks)
                throws IOException {
            return GetBlockArchive.convertBlocks(blocks, output);
        }
    }

    @Command(
            name = "gen-car",
            mixinStandardHelpOptions = true,
            description =
                    "Generate an Old Faithful CAR archive of any size from real getBlock responses"
                            + " (the template BLOCKS): consecutive slots (about 1 in 20 skipped),"
                            + " each a seeded choice of the given blocks.")
    static final class GenCar extends CarCommand {
        @Option(
                names = "--transactions",
                defaultValue = "100000",
                description = "at least this many transactions (default: ${DEFAULT-VALUE})")
        long transactions;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "generator seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--start-slot",
                defaultValue = "300000000",
                description = "first slot (default: ${DEFAULT-VALUE})")
        long startSlot;

        @Override
        GetBlockArchive.Summary write(List<GetBlockArchive.ArchiveBlock> templates)
                throws IOException {
            return ArchiveGenerator.generate(templates, output, seed, startSlot, transactions);
        }
    }

    @Command(
            name = "index",
            mixinStandardHelpOptions = true,
            description =
                    "Write Old Faithful's own indexes (slot-to-cid, cid-to-offset-and-size) of a"
                            + " local archive, for the old-faithful source's index: option (no"
                            + " scan of the archive at job start).")
    static final class Index implements Callable<Integer> {
        @Parameters(paramLabel = "ARCHIVE", description = "a local Old Faithful CAR archive")
        Path archive;

        @Option(
                names = {"-o", "--output"},
                defaultValue = ".",
                description = "directory for the two index files (default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(
                names = "--epoch",
                description = "the archive's epoch (default: its first block's slot / 432,000)")
        Long epoch;

        @Option(
                names = "--network",
                defaultValue = "mainnet",
                description =
                        "network named in the files and their metadata (default: ${DEFAULT-VALUE})")
        String network;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(archive)) {
                err.println("ipdm solana index: no such archive: " + archive);
                return IpdmCli.JOB_FAILED;
            }
            try {
                for (Path p : FaithfulIndex.write(archive, epoch, network, dir)) {
                    out.printf("%s: %d bytes%n", p, Files.size(p));
                }
                out.flush();
                return IpdmCli.OK;
            } catch (ArchiveException | LakesException | MultiformatException e) {
                err.println("ipdm solana index: " + e.getMessage());
                return IpdmCli.BAD_INPUT;
            } catch (IOException e) {
                err.println("ipdm solana index: " + e.getMessage());
                return IpdmCli.JOB_FAILED;
            }
        }
    }

    static void print(PrintWriter out, Path output, GetBlockArchive.Summary s) throws IOException {
        out.printf(
                "%s: root %s, %d blocks (slots %d-%d), %d transactions, %d bytes%n",
                output,
                s.root(),
                s.blocks(),
                s.firstSlot(),
                s.lastSlot(),
                s.transactions(),
                Files.size(output));
        out.flush();
    }
}
