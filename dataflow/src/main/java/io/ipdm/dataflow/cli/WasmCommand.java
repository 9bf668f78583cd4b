package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.validate.InputFiles;
import io.ipdm.dataflow.validate.Normalizer;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.wasm.WasmTypes;
import io.ipdm.wasm.ModuleCheck;
import io.ipdm.wasm.ModuleInspector;
import io.ipdm.wasm.ModuleStore;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.sdk.Language;
import io.ipdm.wasm.sdk.ModuleBuild;
import io.ipdm.wasm.sdk.Scaffold;
import io.ipdm.wasm.sdk.SdkHome;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm wasm check FILE...}: validates modules as a job would load them (with {@code --rows},
 * also runs them twice on seeded input, as {@code test}); {@code ipdm wasm add FILE...}: stores
 * them in the module store by CID, so pipelines can name them by {@code cid:}; {@code init}, {@code
 * build} and {@code test}: write, compile and try a module (docs/wasm-rust.md and its siblings).
 */
@Command(
        name = "wasm",
        mixinStandardHelpOptions = true,
        description = "WebAssembly transformation modules.",
        subcommands = {
            WasmCommand.Check.class,
            WasmCommand.Add.class,
            WasmCommand.Init.class,
            WasmCommand.Build.class,
            WasmCommand.Test.class
        })
final class WasmCommand extends CommandGroup {
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate modules (ABI version, functions and schemas, imports, memory) and"
                            + " print their CID; exit 2 if any is rejected.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Module .wasm files.")
        List<Path> files;

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "0",
                description =
                        "Also run every function twice on N seeded rows of its input schema and"
                                + " compare the output bytes (as ipdm wasm test; 0: only check).")
        int rows;

        @Option(
                names = "--seed",
                paramLabel = "SEED",
                defaultValue = "1",
                description = "Seed of the generated rows (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            if (rows < 0 || rows > Test.MAX_ROWS) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--rows: expected 0.." + Test.MAX_ROWS + ", got " + rows);
            }
            if (rows == 0 && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--seed seeds the rows of --rows N; add --rows N or drop --seed");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int bad = 0;
            for (Path f : files) {
                if (InputFiles.problem(f) != null) {
                    err.println("ipdm wasm check: " + f + ": " + InputFiles.problem(f));
                    bad++;
                    continue;
                }
                try {
                    String description = ModuleInspector.check(f);
                    if (!common.quiet) {
                        out.println(description);
                    }
                    if (rows > 0 && !Test.runTwice(f, rows, seed, out, err, common.quiet)) {
                        bad++;
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
                if (InputFiles.problem(f) != null) {
                    err.println("ipdm wasm add: " + f + ": " + InputFiles.problem(f));
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

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Create a module project NAME/ whose function NAME reads the stream STREAM of a"
                        + " pipeline: the declaration NAME.abi.json (the stream's columns), typed"
                        + " accessors generated from it, a function body that compiles, a README.",
                "Then: cd NAME && ipdm wasm build && ipdm wasm test NAME.wasm --rows 1000"
            })
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Module and function name (e.g. big_fees).")
        String name;

        @Option(
                names = "--lang",
                required = true,
                paramLabel = "LANG",
                description = "rust, assemblyscript (as) or c.")
        String lang;

        @Option(
                names = "--for",
                required = true,
                paramLabel = "JOB.yaml",
                description = "The pipeline whose stream the module reads.")
        Path job;

        @Option(
                names = "--stage",
                required = true,
                paramLabel = "STREAM",
                description = "The id of the source or stage whose rows the module reads.")
        String stage;

        @Option(
                names = "--kind",
                defaultValue = "map",
                paramLabel = "KIND",
                description = "map, filter, flatmap or aggregate (default: ${DEFAULT-VALUE}).")
        String kind;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Where to create the project (default: ./NAME).")
        Path dir;

        @Mixin CommonOptions common;
        @Mixin PipelineOptions pipeline;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            Language language;
            FunctionKind k;
            try {
                language = Language.of(lang);
                k = FunctionKind.parse(kind);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), e.getMessage());
            }
            PipelineLoader.Loaded loaded = PipelineLoader.load(job, pipeline.sets, System.getenv());
            if (loaded.graph().producer(stage) == null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--stage: "
                                + job
                                + " has no stream '"
                                + stage
                                + "'; its streams: "
                                + String.join(", ", loaded.graph().producers().keySet()));
            }
            // Projection push-down keeps only the fields a stream's consumers read: a sink reading
            // the stream keeps all of them, so the module can be offered every column.
            PipelineSpec s = loaded.spec();
            List<SinkSpec> sinks = new ArrayList<>(s.sinks());
            sinks.add(new SinkSpec("ipdm_wasm_init", "terminal", stage, Map.of()));
            PipelineSpec all =
                    Normalizer.normalize(
                            new PipelineSpec(
                                    s.name(),
                                    s.description(),
                                    s.eventTime(),
                                    s.sources(),
                                    s.stages(),
                                    sinks,
                                    s.runtime(),
                                    s.modules()));
            CompiledPipeline p =
                    CompiledPipeline.compile(
                            new PipelineLoader.Loaded(all, loaded.sourceMap(), loaded.file()),
                            Pipelines.cwd());
            TypedStream stream = p.compiled().streams().get(stage);
            List<Column> columns = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            RowTypeInfo type = stream.type();
            for (int i = 0; i < type.getArity(); i++) {
                ColumnType t = WasmTypes.columnType(type.getTypeAt(i));
                if (t == null) {
                    skipped.add(type.getFieldNames()[i] + " (" + type.getTypeAt(i) + ")");
                } else {
                    columns.add(new Column(type.getFieldNames()[i], t, true));
                }
            }
            Scaffold scaffold;
            try {
                scaffold =
                        new Scaffold(
                                name,
                                language,
                                k,
                                new BatchSchema(columns),
                                "stream " + stage + " of " + job.getFileName());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), e.getMessage());
            }
            Path target = dir != null ? dir : Path.of(name);
            List<Path> files = scaffold.write(target, SdkHome.locate());
            if (!common.quiet) {
                out.printf(
                        "created %s (%s %s over %d columns of %s)%n",
                        target, language.cliName(), k.abiName(), columns.size(), stage);
                for (Path f : files) {
                    out.println("  " + target.relativize(f));
                }
                if (!skipped.isEmpty()) {
                    out.println(
                            "  not passed to the module (no ABI type): "
                                    + String.join(", ", skipped));
                }
                out.printf("next: cd %s && ipdm wasm build%n", target);
            }
            out.flush();
            return IpdmCli.OK;
        }
    }

    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description = {
                "Build the module project in DIR (default: the current directory) into"
                        + " DIR/NAME.wasm with deterministic flags, regenerating the accessors from"
                        + " NAME.abi.json and adding it as the ipdm.abi section; print the CID and"
                        + " size.",
                "Tools: /usr/bin/rustc + wasm32 std, the SDK's pinned asc, clang + lld."
            })
    static final class Build implements Callable<Integer> {
        @Parameters(
                arity = "0..1",
                paramLabel = "DIR",
                description = "The project directory (default: the current directory).")
        Path dir;

        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            common.apply();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path d = dir != null ? dir : Pipelines.cwd();
            if (!Files.isDirectory(d)) {
                String problem = InputFiles.problem(d);
                err.println(
                        "ipdm wasm build: "
                                + d
                                + ": "
                                + (problem != null
                                        ? problem
                                        : "is a file, not a module project directory"));
                err.flush();
                return IpdmCli.BAD_INPUT;
            }
            try {
                ModuleBuild.Result r = new ModuleBuild(SdkHome.locate()).build(d);
                Path shown =
                        dir != null ? dir.resolve(r.wasm().getFileName()) : r.wasm().getFileName();
                out.printf("%s %s %,d bytes%n", shown, r.cid(), r.size());
                out.flush();
                return IpdmCli.OK;
            } catch (ModuleBuild.BuildFailedException
                    | IllegalArgumentException
                    | WasmException e) {
                err.println("ipdm wasm build: " + e.getMessage());
                err.flush();
                return IpdmCli.BAD_INPUT;
            } catch (UncheckedIOException e) {
                // a project file that went away or cannot be read: its path, in words, once
                err.println("ipdm wasm build: " + IpdmCli.message(e.getCause()));
                err.flush();
                return IpdmCli.exitCode(e.getCause());
            }
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Run every function of a module on N seeded rows of its declared input schema,"
                        + " twice in fresh instances, and compare the output bytes; the output is"
                        + " checked against the declared schema. Exit 1 when a function fails or"
                        + " differs between runs (same as ipdm wasm check --rows N)."
            })
    static final class Test implements Callable<Integer> {
        static final int MAX_ROWS = 10_000_000;

        @Parameters(paramLabel = "FILE", description = "Module .wasm file.")
        Path file;

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000",
                description = "Rows per function (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(
                names = "--seed",
                paramLabel = "SEED",
                defaultValue = "1",
                description = "Seed of the generated rows (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin CommonOptions common;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            if (rows < 1 || rows > MAX_ROWS) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--rows: expected 1.." + MAX_ROWS + ", got " + rows);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (InputFiles.problem(file) != null) {
                err.println("ipdm wasm test: " + file + ": " + InputFiles.problem(file));
                err.flush();
                return IpdmCli.BAD_INPUT;
            }
            try {
                return runTwice(file, rows, seed, out, err, common.quiet)
                        ? IpdmCli.OK
                        : IpdmCli.JOB_FAILED;
            } catch (WasmException e) {
                err.println("ipdm wasm test: " + file + ": " + e.getMessage());
                err.flush();
                return IpdmCli.BAD_INPUT;
            }
        }

        /** Prints one line per function; true when all ran twice with identical bytes. */
        static boolean runTwice(
                Path file, int rows, long seed, PrintWriter out, PrintWriter err, boolean quiet) {
            WasmModule m = WasmModule.load(file, SandboxLimits.DEFAULT);
            boolean ok = true;
            try (RootAllocator allocator = new RootAllocator()) {
                for (ModuleCheck.FunctionReport r : ModuleCheck.run(m, rows, seed, allocator)) {
                    if (r.ok()) {
                        if (!quiet) {
                            out.println(m.name() + " " + r.line());
                        }
                    } else {
                        ok = false;
                        err.println("ipdm wasm test: " + m.name() + " " + r.line());
                    }
                }
            }
            out.flush();
            err.flush();
            return ok;
        }
    }
}
