package io.ipdm.dataflow.cli;

import io.ipdm.wasm.ModuleInspector;
import io.ipdm.wasm.WasmException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipdm wasm check FILE...}: validates modules as a job would load them. */
@Command(
        name = "wasm",
        mixinStandardHelpOptions = true,
        description = "WebAssembly transformation modules.",
        subcommands = {WasmCommand.Check.class})
final class WasmCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required (check)");
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
}
