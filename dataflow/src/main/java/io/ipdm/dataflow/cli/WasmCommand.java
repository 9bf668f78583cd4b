package io.ipdm.dataflow.cli;

import io.ipdm.wasm.ModuleInspector;
import io.ipdm.wasm.ModuleStore;
import io.ipdm.wasm.WasmException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm wasm check FILE...}: validates modules as a job would load them; {@code ipdm wasm add
 * FILE...}: stores them in the module store by CID, so pipelines can name them by {@code cid:}.
 */
@Command(
        name = "wasm",
        mixinStandardHelpOptions = true,
        description = "WebAssembly transformation modules.",
        subcommands = {WasmCommand.Check.class, WasmCommand.Add.class})
final class WasmCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required (check, add)");
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate modules (ABI version, functions and schemas, imports, memory) and"
                            + " print their CID; exit 2 if any is rejected.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Module .wasm files.")
        List<Path> files;

        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int bad = 0;
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    err.println("ipdm wasm check: " + f + ": no such file");
                    bad++;
                    continue;
                }
                try {
                    String description = ModuleInspector.check(f);
                    if (!common.quiet) {
                        out.println(description);
                    }
                } catch (WasmException e) {
                    err.println("ipdm wasm check: " + f + ": " + e.getMessage());
                    bad++;
                }
            }
            out.flush();
            err.flush();
            return bad == 0 ? IpdmCli.OK : IpdmCli.BAD_INPUT;
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description =
                    "Validate modules and add them to the module store (by CID); print each CID."
                            + " Pipelines then reference a module by 'cid:' alone. Exit 2 if any"
                            + " is rejected.")
    static final class Add implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Module .wasm files.")
        List<Path> files;

        @Option(
                names = "--store",
                paramLabel = "DIR",
                description = "The module store (default: $IPDM_MODULES, else ~/.ipdm/modules).")
        Path store;

        @Option(
                names = "--lake",
                paramLabel = "DIR",
                description =
                        "Also put each module into this lake as one raw block under its CID,"
                                + " pinned, so a storage node on it serves the module to"
                                + " pipelines elsewhere (at most 2 MiB; the node must be"
                                + " stopped while this runs).")
        Path lake;

        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ModuleStore s = store == null ? ModuleStore.configured() : new ModuleStore(store);
            if (lake != null) {
                try (io.ipdm.lakes.cli.LakeCommands l =
                        io.ipdm.lakes.cli.LakeCommands.open(
                                lake, io.ipdm.lakes.policy.StorageConfig.defaults())) {
                    return add(s, l, out, err);
                } catch (io.ipdm.lakes.LakesException e) {
                    err.println("ipdm wasm add: " + e.getMessage());
                    err.flush();
                    return IpdmCli.BAD_INPUT;
                }
            }
            return add(s, null, out, err);
        }

        private int add(
                ModuleStore s, io.ipdm.lakes.cli.LakeCommands l, PrintWriter out, PrintWriter err)
                throws java.io.IOException {
            int bad = 0;
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    err.println("ipdm wasm add: " + f + ": no such file");
                    bad++;
                    continue;
                }
                try {
                    io.ipdm.wasm.ModuleCid cid = s.add(f);
                    if (l != null) {
                        byte[] bytes = Files.readAllBytes(f);
                        if (bytes.length > io.ipdm.dataflow.compile.stage.ModuleFetcher.MAX_BYTES) {
                            err.println(
                                    "ipdm wasm add: "
                                            + f
                                            + ": "
                                            + bytes.length
                                            + " bytes is over the "
                                            + io.ipdm.dataflow.compile.stage.ModuleFetcher.MAX_BYTES
                                            + "-byte block limit; stored locally only");
                            bad++;
                        } else {
                            l.store()
                                    .put(
                                            io.ipdm.lakes.Block.of(
                                                    io.ipdm.multiformats.Multicodec.RAW, bytes));
                            l.store().pin(cid.cid());
                        }
                    }
                    out.println(cid);
                } catch (WasmException e) {
                    err.println("ipdm wasm add: " + f + ": " + e.getMessage());
                    bad++;
                }
            }
            out.flush();
            err.flush();
            return bad == 0 ? IpdmCli.OK : IpdmCli.BAD_INPUT;
        }
    }
}
