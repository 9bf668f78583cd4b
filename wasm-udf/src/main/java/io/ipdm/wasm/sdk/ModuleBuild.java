package io.ipdm.wasm.sdk;

import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.AbiDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ipdm wasm build}: compiles a module project ({@code ipdm wasm init}) with the flags the
 * corpus uses (small, deterministic binaries: the same sources give the same bytes and CID),
 * regenerating the typed accessors from {@code NAME.abi.json} first and appending that declaration
 * as the {@code ipdm.abi} section. Rust: Debian's {@code /usr/bin/rustc} (else {@code rustc}),
 * {@code wasm32-unknown-unknown}, the SDK crate as an rlib; AssemblyScript: the SDK's pinned {@code
 * asc}, stub runtime; C: clang + lld, {@code -nostdlib}.
 */
public final class ModuleBuild {
    /** The built module. */
    public record Result(Path wasm, ModuleCid cid, long size) {}

    private final SdkHome sdk;

    public ModuleBuild(SdkHome sdk) {
        this.sdk = sdk;
    }

    /** The project's language, from its files. */
    public static Language detect(Path dir) {
        if (Files.exists(dir.resolve("Cargo.toml")) || Files.exists(dir.resolve("src/lib.rs"))) {
            return Language.RUST;
        }
        if (Files.exists(dir.resolve("assembly/index.ts"))) {
            return Language.ASSEMBLYSCRIPT;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(p -> p.toString().endsWith(".c"))) {
                return Language.C;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException(
                dir
                        + " is not a module project: expected Cargo.toml (Rust), assembly/index.ts"
                        + " (AssemblyScript) or a .c file (C); create one with ipdm wasm init");
    }

    /** Builds the project in {@code dir} into {@code dir/NAME.wasm}. */
    public Result build(Path dir) throws IOException, InterruptedException {
        dir = dir.toAbsolutePath().normalize();
        Language lang = detect(dir);
        Path abiFile = declaration(dir);
        String file = abiFile.getFileName().toString();
        String name = file.substring(0, file.length() - ".abi.json".length());
        byte[] abi = Files.readAllBytes(abiFile);
        AbiDescriptor d = AbiDescriptor.parse(name, abi);
        Scaffold.regenerate(dir, lang, d, file);
        Path tmp = Files.createTempDirectory("ipdm-build");
        try {
            Path out = tmp.resolve("out.wasm");
            switch (lang) {
                case RUST -> rust(dir, name, tmp, out);
                case ASSEMBLYSCRIPT -> assemblyScript(dir, tmp, out);
                case C -> c(dir, name, out);
            }
            byte[] wasm = Files.readAllBytes(out);
            if (!CustomSections.has(wasm, AbiDescriptor.SECTION)) {
                wasm = CustomSections.append(wasm, AbiDescriptor.SECTION, abi);
            }
            Path target = dir.resolve(name + ".wasm");
            Files.write(target, wasm);
            WasmModule m = WasmModule.load(target, SandboxLimits.DEFAULT); // rejects a bad build
            return new Result(target, m.cid(), wasm.length);
        } finally {
            deleteTree(tmp);
        }
    }

    private static Path declaration(Path dir) throws IOException {
        List<Path> abi;
        try (Stream<Path> s = Files.list(dir)) {
            abi = s.filter(p -> p.getFileName().toString().endsWith(".abi.json")).sorted().toList();
        }
        if (abi.size() != 1) {
            throw new IllegalArgumentException(
                    dir
                            + " must hold exactly one NAME.abi.json (the module's declaration), found "
                            + abi.size());
        }
        return abi.get(0);
    }

    private static String rustc() {
        return Files.isExecutable(Path.of("/usr/bin/rustc")) ? "/usr/bin/rustc" : "rustc";
    }

    private void rust(Path dir, String name, Path tmp, Path out)
            throws IOException, InterruptedException {
        List<String> common =
                List.of(
                        "--edition",
                        "2021",
                        "--target",
                        "wasm32-unknown-unknown",
                        "-C",
                        "opt-level=3",
                        "-C",
                        "panic=abort",
                        "-C",
                        "codegen-units=1",
                        "--remap-path-prefix=" + sdk.rust() + "=ipdm",
                        "--remap-path-prefix=" + dir + "=" + name);
        Path rlib = tmp.resolve("libipdm.rlib");
        List<String> lib = new ArrayList<>(List.of(rustc()));
        lib.addAll(common);
        lib.addAll(
                List.of(
                        "--crate-type",
                        "rlib",
                        "--crate-name",
                        "ipdm",
                        "-o",
                        rlib.toString(),
                        sdk.rust().resolve("src/lib.rs").toString()));
        run(dir, lib, "rustc (the ipdm crate)");
        List<String> mod = new ArrayList<>(List.of(rustc()));
        mod.addAll(common);
        mod.addAll(
                List.of(
                        "--crate-type",
                        "cdylib",
                        "--crate-name",
                        name,
                        "-C",
                        "lto",
                        "-C",
                        "strip=symbols",
                        "-C",
                        "link-arg=--initial-memory=262144",
                        "-C",
                        "link-arg=-zstack-size=65536",
                        "--extern",
                        "ipdm=" + rlib,
                        "-L",
                        tmp.toString(),
                        "-o",
                        out.toString(),
                        "src/lib.rs"));
        run(dir, mod, "rustc");
    }

    private void assemblyScript(Path dir, Path tmp, Path out)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(sdk.asc())) {
            throw new IllegalStateException(
                    "the AssemblyScript compiler is not installed; run: (cd "
                            + sdk.assemblyScript()
                            + " && npm ci)");
        }
        // the package ipdm-sdk, found by asc's package resolution (--path)
        Path packages = tmp.resolve("packages");
        Files.createDirectories(packages);
        Files.createSymbolicLink(packages.resolve("ipdm-sdk"), sdk.assemblyScript());
        run(
                dir,
                List.of(
                        sdk.asc().toString(),
                        "assembly/index.ts",
                        "--path",
                        packages.toString(),
                        "--outFile",
                        out.toString(),
                        "--runtime",
                        "stub",
                        "--optimize",
                        "--noAssert",
                        "--use",
                        "abort=~lib/ipdm-sdk/ipdm/ipdmAbort"),
                "asc");
    }

    private void c(Path dir, String name, Path out) throws IOException, InterruptedException {
        List<String> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources =
                    s.filter(p -> p.toString().endsWith(".c"))
                            .map(p -> p.getFileName().toString())
                            .sorted()
                            .toList();
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "clang",
                                "--target=wasm32",
                                "-O2",
                                "-nostdlib",
                                "-ffreestanding",
                                "-mbulk-memory",
                                "-I",
                                sdk.c().toString(),
                                "-I",
                                ".",
                                "-Wall",
                                "-ffile-prefix-map=" + dir + "=" + name,
                                "-Wl,--no-entry",
                                "-Wl,--strip-debug",
                                "-Wl,-z,stack-size=65536",
                                "-Wl,--initial-memory=262144",
                                "-o",
                                out.toString()));
        cmd.addAll(sources);
        run(dir, cmd, "clang");
    }

    private static void run(Path dir, List<String> cmd, String tool)
            throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    tool
                            + " could not be started ("
                            + e.getMessage()
                            + "); install the tools of .ci/setup.d/wasm-udf.sh (clang lld rustc"
                            + " libstd-rust-dev-wasm32, npm ci in wasm-udf/sdk/assemblyscript)");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        p.getInputStream().transferTo(log);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
            throw new BuildFailedException(
                    tool
                            + " failed (exit "
                            + p.exitValue()
                            + "):\n"
                            + log.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A compiler rejected the sources; the message holds its output. */
    public static final class BuildFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BuildFailedException(String message) {
            super(message);
        }
    }
}
