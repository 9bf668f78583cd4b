package io.ipdm.dataflow.cli;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.FaithfulIndex;
import io.ipdm.dataflow.runtime.ProgressLine;
import io.ipdm.dataflow.validate.InputFiles;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.MultiformatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class SolanaCommand extends CommandGroup {
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
            } else if (InputFiles.problem(p).equals(InputFiles.MISSING)) {
                throw new NoSuchFileException(p.toString());
            } else {
                throw new InputFileException(p, InputFiles.problem(p));
            }
        }
        if (out.isEmpty()) {
            throw new InputFileException(
                    inputs.size() == 1 ? inputs.get(0).toString() : inputs.toString(),
                    "no getBlock files (block_<slot>.json) there");
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
        @Mixin CommonOptions common;

        /** Writes the archive from the getBlock {@code files} (found under {@code inputs}). */
        abstract GetBlockArchive.Summary write(List<Path> files, PrintWriter err)
                throws IOException;

        @Override
        public Integer call() {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                GetBlockArchive.Summary s = write(blockFiles(inputs), err);
                print(out, output, s);
                return IpdmCli.OK;
            } catch (SolanaDecodeException | LakesException | MultiformatException e) {
                err.println("ipdm solana: " + e.getMessage());
                return IpdmCli.BAD_INPUT;
            } catch (IOException e) {
                err.println("ipdm solana: " + IpdmCli.message(e));
                return IpdmCli.exitCode(e);
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
        /**
         * Reads every file (the getBlock decode is most of the work), then writes the archive, with
         * the progress line (files read of all, transactions, rate; then the writing) and the final
         * summary on stderr unless -q.
         */
        @Override
        GetBlockArchive.Summary write(List<Path> files, PrintWriter err) throws IOException {
            AtomicInteger read = new AtomicInteger();
            AtomicLong txs = new AtomicLong();
            ProgressLine line =
                    ProgressLine.start(
                            !common.quiet,
                            PROGRESS_INTERVAL,
                            elapsed -> status(read.get(), files.size(), txs.get(), elapsed));
            GetBlockArchive.Summary s = null;
            try {
                List<GetBlockArchive.ArchiveBlock> blocks = new ArrayList<>(files.size());
                for (Path f : files) {
                    GetBlockArchive.ArchiveBlock b = GetBlockArchive.read(f);
                    blocks.add(b);
                    txs.addAndGet(b.txs().size());
                    read.incrementAndGet();
                }
                s = GetBlockArchive.convertBlocks(blocks, output);
                return s;
            } finally {
                line.finish(
                        s == null
                                ? null
                                : GenCar.summary(s, Files.size(output), line.elapsedMillis()),
                        err);
            }
        }

        /** The progress line: getBlock files read of all, transactions, rate, then writing. */
        static String status(int read, int files, long txs, long elapsedMillis) {
            return String.format(
                    Locale.ROOT,
                    "read %,d/%,d getBlock files (%d%%) | transactions %,d | %,.0f files/s%s",
                    read,
                    files,
                    files == 0 ? 100 : 100L * read / files,
                    txs,
                    read / Math.max(elapsedMillis / 1000.0, 0.001),
                    read == files ? " | writing the archive" : "");
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

        /**
         * What {@link ArchiveGenerator#generate} does, with the progress line (blocks handed to the
         * writer, transactions, rate) and the final summary on stderr unless -q.
         */
        @Override
        GetBlockArchive.Summary write(List<Path> files, PrintWriter err) throws IOException {
            List<GetBlockArchive.ArchiveBlock> templates = GetBlockArchive.readAll(files);
            List<ArchiveGenerator.Planned> plan =
                    ArchiveGenerator.plan(templates, seed, startSlot, transactions);
            long[] txsBefore = new long[plan.size() + 1];
            for (int i = 0; i < plan.size(); i++) {
                txsBefore[i + 1] =
                        txsBefore[i] + templates.get(plan.get(i).template()).txs().size();
            }
            AtomicInteger handed = new AtomicInteger();
            // the writer reads the plan in order: how far it got is the highest index asked for
            List<ArchiveGenerator.Planned> counted =
                    new AbstractList<>() {
                        @Override
                        public ArchiveGenerator.Planned get(int i) {
                            handed.accumulateAndGet(i + 1, Math::max);
                            return plan.get(i);
                        }

                        @Override
                        public int size() {
                            return plan.size();
                        }
                    };
            ProgressLine line =
                    ProgressLine.start(
                            !common.quiet,
                            PROGRESS_INTERVAL,
                            elapsed -> {
                                int n = handed.get();
                                return String.format(
                                        Locale.ROOT,
                                        "blocks %,d/%,d (%d%%) | transactions %,d | %,.0f blocks/s",
                                        n,
                                        plan.size(),
                                        100L * n / plan.size(),
                                        txsBefore[n],
                                        n / Math.max(elapsed / 1000.0, 0.001));
                            });
            GetBlockArchive.Summary s = null;
            try {
                s = ArchiveGenerator.write(templates, counted, output);
                return s;
            } finally {
                line.finish(
                        s == null ? null : summary(s, Files.size(output), line.elapsedMillis()),
                        err);
            }
        }

        /** The final summary line: what was written, how big, how fast. */
        static String summary(GetBlockArchive.Summary s, long bytes, long millis) {
            double secs = Math.max(millis / 1000.0, 0.001);
            return String.format(
                    Locale.ROOT,
                    "ipdm: wrote %,d blocks (slots %d-%d), %,d transactions, %,d bytes in %.1f s"
                            + " (%,.0f blocks/s)%n",
                    s.blocks(),
                    s.firstSlot(),
                    s.lastSlot(),
                    s.transactions(),
                    bytes,
                    millis / 1000.0,
                    s.blocks() / secs);
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
        @Mixin CommonOptions common;

        @Override
        public Integer call() {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String problem = InputFiles.problem(archive);
            if (problem != null) {
                err.println(
                        problem.equals(InputFiles.MISSING)
                                ? "ipdm solana index: no such archive: " + archive
                                : "ipdm solana index: " + archive + ": " + problem);
                return IpdmCli.BAD_INPUT;
            }
            try {
                for (Path p : index(err)) {
                    out.printf("%s: %d bytes%n", p, Files.size(p));
                }
                out.flush();
                return IpdmCli.OK;
            } catch (ArchiveException | LakesException | MultiformatException e) {
                err.println("ipdm solana index: " + e.getMessage());
                return IpdmCli.BAD_INPUT;
            } catch (IOException e) {
                err.println("ipdm solana index: " + IpdmCli.message(e));
                return IpdmCli.exitCode(e);
            }
        }

        /**
         * Writes the indexes with the progress line (bytes scanned of the archive, sections,
         * blocks, rate) and the final summary on stderr unless -q.
         */
        private List<Path> index(PrintWriter err) throws IOException {
            long size = Files.size(archive);
            AtomicLong[] at = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            ProgressLine line =
                    ProgressLine.start(
                            !common.quiet,
                            PROGRESS_INTERVAL,
                            elapsed ->
                                    String.format(
                                            Locale.ROOT,
                                            "scanned %,.1f/%,.1f MiB (%d%%) | sections %,d |"
                                                    + " blocks %,d | %,.1f MiB/s",
                                            at[0].get() / MIB,
                                            size / MIB,
                                            size == 0 ? 100 : 100L * at[0].get() / size,
                                            at[1].get(),
                                            at[2].get(),
                                            at[0].get() / MIB / Math.max(elapsed / 1000.0, 0.001)));
            List<Path> files = null;
            try {
                files =
                        FaithfulIndex.write(
                                archive,
                                epoch,
                                network,
                                dir,
                                (bytes, sections, blocks) -> {
                                    at[0].set(bytes);
                                    at[1].set(sections);
                                    at[2].set(blocks);
                                });
                return files;
            } finally {
                line.finish(
                        files == null
                                ? null
                                : summary(
                                        at[2].get(),
                                        at[1].get(),
                                        archive,
                                        size,
                                        line.elapsedMillis()),
                        err);
            }
        }

        /** The final summary line: what was indexed, how big, how fast. */
        static String summary(long blocks, long sections, Path archive, long bytes, long millis) {
            return String.format(
                    Locale.ROOT,
                    "ipdm: indexed %,d blocks in %,d sections of %s (%,d bytes) in %.1f s%n",
                    blocks,
                    sections,
                    archive,
                    bytes,
                    millis / 1000.0);
        }
    }

    /**
     * How often the progress line of to-car, gen-car and index is refreshed (as {@code ipdm
     * run}'s).
     */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private static final double MIB = 1 << 20;

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
