package io.ipdm.dataflow.cli;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.SolanaDecodeException;
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
        description = "Solana data tools: Old Faithful archives from getBlock responses.",
        subcommands = {SolanaCommand.ToCar.class, SolanaCommand.GenCar.class})
final class SolanaCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required (to-car, gen-car)");
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

    static int run(Spec0 spec, Action action) {
        PrintWriter out = spec.out();
        PrintWriter err = spec.err();
        try {
            return action.run(out);
        } catch (SolanaDecodeException | LakesException | MultiformatException e) {
            err.println("ipdm solana: " + e.getMessage());
            return IpdmCli.BAD_INPUT;
        } catch (IOException e) {
            err.println("ipdm solana: " + e.getMessage());
            return IpdmCli.JOB_FAILED;
        }
    }

    interface Spec0 {
        PrintWriter out();

        PrintWriter err();
    }

    interface Action {
        int run(PrintWriter out) throws IOException;
    }

    @Command(
            name = "to-car",
            mixinStandardHelpOptions = true,
            description =
                    "Convert getBlock responses (encoding base64 or base58, full transaction"
                            + " details) into one Old Faithful CAR archive, in slot order.")
    static final class ToCar implements Callable<Integer>, Spec0 {
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

        @Override
        public PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            return run(
                    this,
                    out -> {
                        GetBlockArchive.Summary s =
                                GetBlockArchive.convert(blockFiles(inputs), output);
                        print(out, output, s);
                        return IpdmCli.OK;
                    });
        }
    }

    @Command(
            name = "gen-car",
            mixinStandardHelpOptions = true,
            description =
                    "Generate an Old Faithful CAR archive of any size from real getBlock responses:"
                            + " consecutive slots (about 1 in 20 skipped), each a seeded choice of"
                            + " the given blocks.")
    static final class GenCar implements Callable<Integer>, Spec0 {
        @Parameters(
                paramLabel = "BLOCKS",
                arity = "1..*",
                description = "template getBlock files or directories")
        List<Path> inputs;

        @Option(
                names = {"-o", "--output"},
                required = true,
                description = "the archive to write")
        Path output;

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

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            return run(
                    this,
                    out -> {
                        GetBlockArchive.Summary s =
                                ArchiveGenerator.generate(
                                        ArchiveGenerator.templates(blockFiles(inputs)),
                                        output,
                                        seed,
                                        startSlot,
                                        transactions);
                        print(out, output, s);
                        return IpdmCli.OK;
                    });
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
