package io.ipdm.dataflow.cli;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.gateway.Gateway;
import io.ipdm.lakes.gateway.GatewayLimits;
import io.ipdm.lakes.network.BlockNotFoundException;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.multiformats.MultiformatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ipdm lake ...}: the local Lava Lakes store (hot memory, warm RocksDB, cold CARs). */
@Command(
        name = "lake",
        mixinStandardHelpOptions = true,
        description = "Lava Lakes: content-addressed, tiered block store.",
        subcommands = {
            LakeCommand.Put.class,
            LakeCommand.Get.class,
            LakeCommand.Stat.class,
            LakeCommand.ImportCar.class,
            LakeCommand.ExportCar.class,
            LakeCommand.Gc.class,
            LakeCommand.Pin.class,
            LakeCommand.Unpin.class,
            LakeCommand.Serve.class
        })
final class LakeCommand extends CommandGroup {
    @Option(
            names = "--dir",
            defaultValue = "${env:IPDM_LAKE_DIR:-.ipdm/lake}",
            description = "Lake directory (default: $IPDM_LAKE_DIR or .ipdm/lake).")
    Path dir;

    @Option(
            names = "--config",
            paramLabel = "KEY=VALUE",
            description = "Storage setting, e.g. hot-bytes=67108864 (see docs/lava-lakes.md).")
    Map<String, String> config = new LinkedHashMap<>();

    /**
     * Opens the lake and runs {@code action}; user errors print their message and exit 2, a block
     * that neither the lake nor the network had (in time) exits 1: the request was well formed, the
     * content is not to be had now. Whatever went to stdout is flushed before the error goes to
     * stderr, so a terminal showing both never shows the message inside the output.
     */
    int withLake(PrintWriter out, PrintWriter err, LakeAction action) {
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.fromMap(config))) {
            return action.run(lake);
        } catch (BlockNotFoundException e) {
            fail(out, err, e.getMessage());
            return IpdmCli.JOB_FAILED;
        } catch (LakesException | MultiformatException e) {
            fail(out, err, e.getMessage());
            return IpdmCli.BAD_INPUT;
        } catch (IOException | java.io.UncheckedIOException e) {
            fail(
                    out,
                    err,
                    IpdmCli.message(
                            e instanceof java.io.UncheckedIOException u ? u.getCause() : e));
            return IpdmCli.exitCode(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return IpdmCli.JOB_FAILED;
        }
    }

    private static void fail(PrintWriter out, PrintWriter err, String message) {
        out.flush();
        System.out.flush();
        err.println("ipdm lake: " + message);
        err.flush();
    }

    interface LakeAction {
        int run(LakeCommands lake) throws IOException, InterruptedException;
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand LakeCommand lake;
        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            common.apply();
            int code = lake.withLake(out(), spec.commandLine().getErr(), this::run);
            out().flush();
            return code;
        }

        abstract int run(LakeCommands lake) throws IOException, InterruptedException;
    }

    @Command(
            name = "put",
            description =
                    "Store a file (UnixFS raw leaves) or a directory tree (UnixFS directories);"
                            + " prints its root CID.")
    static final class Put extends Sub {
        @Parameters(paramLabel = "FILE|DIR")
        Path file;

        @Override
        int run(LakeCommands lake) throws IOException {
            out().println(lake.put(file));
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "get",
            description =
                    "Write a file's content (UnixFS, raw or dag-pb leaves) or another block's"
                            + " bytes to stdout; CID/PATH reads a file through directories.")
    static final class Get extends Sub {
        @Parameters(paramLabel = "CID[/PATH]")
        String cid;

        @Mixin LakeNetworkOptions network;

        @Override
        int run(LakeCommands lake) throws IOException {
            OutputStream o = new BufferedOutputStream(System.out);
            try (LakeNetworkOptions.Attached n = network.attach(lake)) {
                lake.get(cid, o);
            } catch (BlockNotFoundException e) {
                throw network.notHeld(e);
            }
            o.flush();
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "pin",
            description =
                    "Keep a root and its DAG through gc (put and import-car pin their roots).")
    static final class Pin extends Sub {
        @Parameters(paramLabel = "CID")
        String cid;

        @Override
        int run(LakeCommands lake) {
            lake.pin(cid);
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "unpin",
            description = "Let gc delete a root's DAG unless another pin reaches it.")
    static final class Unpin extends Sub {
        @Parameters(paramLabel = "CID")
        String cid;

        @Override
        int run(LakeCommands lake) {
            if (!lake.unpin(cid)) {
                out().println(cid + " was not pinned; nothing changed");
            }
            return IpdmCli.OK;
        }
    }

    @Command(name = "stat", description = "Show a block's tier, size and links.")
    static final class Stat extends Sub {
        @Parameters(paramLabel = "CID")
        String cid;

        @Override
        int run(LakeCommands lake) {
            LakeCommands.Stat s = lake.stat(cid);
            out().printf(
                            "cid    %s%ntier   %s%nsize   %d bytes%nlinks  %d%n",
                            s.cid(), s.tier(), s.size(), s.links());
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "import-car",
            description =
                    "Import every block of a CAR v1/v2 file (all or nothing) and pin the roots it"
                            + " holds.")
    static final class ImportCar extends Sub {
        @Parameters(paramLabel = "FILE.car")
        Path car;

        @Option(
                names = "--zero-length-section-as-eof",
                description =
                        "Treat a zero-length section as the end of the CAR (some writers pad"
                                + " with them); otherwise it is an error.")
        boolean zeroLengthAsEof;

        @Override
        int run(LakeCommands lake) throws IOException {
            LakeCommands.Imported i;
            try {
                i =
                        lake.importCar(
                                InputFileException.readable(car),
                                zeroLengthAsEof
                                        ? CarReader.Options.DEFAULT.withZeroLengthSectionAsEof()
                                        : CarReader.Options.DEFAULT);
            } catch (LakesException e) {
                if (!zeroLengthAsEof && e.getMessage().contains("zero-length section")) {
                    throw new LakesException(
                            e.getMessage()
                                    + " (if the CAR is padded, --zero-length-section-as-eof"
                                    + " ends it there)");
                }
                throw e;
            }
            out().printf("imported %d blocks; roots: %s%n", i.blocks(), i.roots());
            if (i.rootless()) {
                out().println(
                                "the CAR names no roots: nothing was pinned, and the next gc deletes its"
                                        + " blocks unless a pin reaches them");
            }
            for (var r : i.missingRoots()) {
                out().printf(
                                "root %s is named by the CAR header but is in neither the CAR nor the"
                                        + " lake: not pinned%n",
                                r);
            }
            if (!i.missingLinks().isEmpty()) {
                out().printf(
                                "incomplete DAG: %d linked blocks are in neither the CAR nor the lake"
                                        + " (first: %s); export-car of a root that reaches them fails%n",
                                i.missingLinks().size(), i.missingLinks().get(0));
            }
            return IpdmCli.OK;
        }
    }

    @Command(name = "export-car", description = "Write the DAG under CID as a CAR v1 to stdout.")
    static final class ExportCar extends Sub {
        @Parameters(paramLabel = "CID")
        String cid;

        @Mixin LakeNetworkOptions network;

        @Override
        int run(LakeCommands lake) throws IOException {
            OutputStream o = new BufferedOutputStream(System.out);
            long blocks;
            try (LakeNetworkOptions.Attached n = network.attach(lake)) {
                blocks = lake.exportCar(cid, o);
            } catch (LakesException e) {
                // the DAG walk names a block the reads did not find "missing": the content is not
                // to be had now (exit 1, as lake get), not a usage error
                throw e instanceof BlockNotFoundException || e.getMessage().endsWith(" is missing")
                        ? network.notHeld(new BlockNotFoundException(e.getMessage()))
                        : e;
            }
            o.flush();
            if (!common.quiet) {
                spec.commandLine().getErr().printf("exported %d blocks%n", blocks);
            }
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "gc",
            description =
                    "Delete blocks no pinned root reaches (warm, hot, cold archives repacked),"
                            + " then apply the lifecycle policy (demote by age and size).")
    static final class Gc extends Sub {
        @Override
        int run(LakeCommands lake) throws IOException {
            LakeCommands.GcReport r = lake.gc();
            var f = r.freed();
            out().printf(
                            "freed %d blocks (%d warm, %d bytes; %d cold, %d bytes; %d archives"
                                    + " deleted, %d repacked); %d live%n",
                            f.freedBlocks(),
                            f.warmBlocks(),
                            f.warmBytes(),
                            f.cold().blocks(),
                            f.cold().bytes(),
                            f.cold().deleted().size(),
                            f.cold().repacked().size(),
                            f.liveBlocks());
            out().printf(
                            "demoted %d by age, %d by size; %d sealed archives%n",
                            r.demotedByAge(), r.demotedBySize(), r.archives().size());
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "serve",
            description = "IPFS trustless gateway: GET/HEAD /ipfs/{cid}?format=raw|car.")
    static final class Serve extends Sub {
        @Option(
                names = "--host",
                defaultValue = "127.0.0.1",
                paramLabel = "HOST",
                description = "Address the gateway binds (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(
                names = "--port",
                defaultValue = "8080",
                paramLabel = "PORT",
                description = "The gateway's port, 0 for any free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(
                names = "--request-timeout",
                defaultValue = "10",
                paramLabel = "SECONDS",
                description =
                        "A client must send a whole request within this many seconds of connecting"
                                + " or of its first byte (else 408 and close; default 10).")
        long requestTimeout;

        @Option(
                names = "--idle-timeout",
                defaultValue = "60",
                paramLabel = "SECONDS",
                description = "Close a kept-alive connection idle this long (default 60).")
        long idleTimeout;

        @Option(
                names = "--connections-per-client",
                defaultValue = "32",
                paramLabel = "N",
                description =
                        "Open connections one IP address may hold; more get 429 (default 32).")
        int connectionsPerClient;

        @Override
        int run(LakeCommands lake) throws IOException, InterruptedException {
            for (String problem :
                    new String[] {
                        BindAddress.portProblem("--port", port),
                        BindAddress.hostProblem("--host", host)
                    }) {
                if (problem != null) {
                    throw new LakesException(problem);
                }
            }
            GatewayLimits limits =
                    GatewayLimits.DEFAULT
                            .withTimeouts(
                                    Duration.ofSeconds(requestTimeout),
                                    Duration.ofSeconds(idleTimeout),
                                    GatewayLimits.DEFAULT.writeTimeout())
                            .withConnections(
                                    connectionsPerClient,
                                    Math.max(
                                            connectionsPerClient,
                                            GatewayLimits.DEFAULT.maxConnections()));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "ipdm-lake-stop"));
            try (Gateway g = lake.serve(host, port, limits)) {
                out().println("gateway on " + g.baseUri() + " (Ctrl-C to stop)");
                out().flush();
                stop.await();
            }
            return IpdmCli.OK;
        }
    }
}
