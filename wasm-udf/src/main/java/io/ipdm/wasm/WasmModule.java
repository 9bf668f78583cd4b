package io.ipdm.wasm;

import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.ByteSequence;

/**
 * A loaded, validated module: its bytes, CID, ABI descriptor and the GraalWasm {@link Source}
 * (parsed and compiled once per JVM through {@link WasmRuntime#engine()}). Immutable and safe to
 * share between subtasks; each subtask makes its own {@link WasmInstance}.
 *
 * <p>Validation at load: well-formed binary, imports only {@code ipdm.log} and {@code ipdm.abort}
 * (no WASI: the same input gives the same bytes on every node), one exported memory whose initial
 * size fits the cap (its maximum is lowered to the cap), the descriptor's ABI version, and every
 * export the declared functions need with the right signature.
 */
public final class WasmModule {
    /** Imports a module may have, with their signatures. */
    static final Map<String, String> ALLOWED_IMPORTS =
            Map.of(
                    "log", "(i32, i32, i32) -> ()",
                    "abort", "(i32, i32) -> ()");

    private final String name;
    private final byte[] bytes;
    private final ModuleCid cid;
    private final AbiDescriptor descriptor;
    private final WasmBinary binary;
    private final SandboxLimits limits;
    private final Source source;

    private WasmModule(
            String name,
            byte[] bytes,
            ModuleCid cid,
            AbiDescriptor descriptor,
            WasmBinary binary,
            SandboxLimits limits) {
        this.name = name;
        this.bytes = bytes;
        this.cid = cid;
        this.descriptor = descriptor;
        this.binary = binary;
        this.limits = limits;
        this.source =
                Source.newBuilder(
                                "wasm",
                                ByteSequence.create(binary.withMemoryMax(limits.maxMemoryPages())),
                                name + "-" + cid)
                        .cached(true)
                        .buildLiteral();
    }

    /** Loads a module file; the module's name is the file name without {@code .wasm}. */
    public static WasmModule load(Path file, SandboxLimits limits) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WasmException("cannot read module file " + file + ": " + e, e);
        }
        String n = file.getFileName().toString().replaceFirst("\\.wasm$", "");
        return load(n, b, limits);
    }

    /** Validates {@code bytes} and compiles them on the shared engine. */
    public static WasmModule load(String name, byte[] bytes, SandboxLimits limits) {
        byte[] copy = bytes.clone();
        WasmBinary bin = WasmBinary.parse(name, copy);
        checkImports(name, bin);
        checkMemory(name, bin, limits);
        byte[] section = bin.customSection(AbiDescriptor.SECTION);
        if (section == null) {
            throw new InvalidModuleException(
                    "module '"
                            + name
                            + "' has no custom section '"
                            + AbiDescriptor.SECTION
                            + "' with its ABI descriptor; build it with an IPDM SDK (docs/wasm-abi.md)");
        }
        AbiDescriptor d = AbiDescriptor.parse(name, section);
        checkExports(name, bin, d);
        WasmModule m = new WasmModule(name, copy, ModuleCid.of(copy), d, bin, limits);
        m.validateWithGraalWasm();
        return m;
    }

    public String name() {
        return name;
    }

    public ModuleCid cid() {
        return cid;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public AbiDescriptor descriptor() {
        return descriptor;
    }

    public FunctionSpec function(String fn) {
        return descriptor.function(name, fn);
    }

    public SandboxLimits limits() {
        return limits;
    }

    public List<WasmBinary.Import> imports() {
        return binary.imports();
    }

    public List<WasmBinary.Export> exports() {
        return binary.exports();
    }

    WasmBinary binary() {
        return binary;
    }

    Source source() {
        return source;
    }

    /** Another copy of this module with other limits (same bytes and CID). */
    public WasmModule withLimits(SandboxLimits l) {
        return l.equals(limits) ? this : new WasmModule(name, bytes, cid, descriptor, binary, l);
    }

    @Override
    public String toString() {
        return "module '" + name + "' (" + cid + ")";
    }

    private void validateWithGraalWasm() {
        // GraalWasm validates function bodies when it parses; a throwaway context surfaces that
        // now.
        try (Context c = Context.newBuilder("wasm").engine(WasmRuntime.engine()).build()) {
            c.eval(source);
        } catch (PolyglotException e) {
            throw new InvalidModuleException(
                    "module '" + name + "' failed WebAssembly validation: " + e.getMessage(), e);
        }
    }

    private static void checkImports(String name, WasmBinary bin) {
        for (WasmBinary.Import i : bin.imports()) {
            String what = "'" + i.module() + "." + i.name() + "'";
            if (i.module().startsWith("wasi")) {
                throw new UnlinkableModuleException(
                        "module '"
                                + name
                                + "' imports "
                                + what
                                + " from WASI; IPDM modules may not use clocks, random numbers or files"
                                + " (the same input must give the same output on every node). Allowed"
                                + " imports: ipdm.log, ipdm.abort");
            }
            String sig = ALLOWED_IMPORTS.get(i.name());
            if (!"ipdm".equals(i.module()) || sig == null || i.kind() != 0) {
                throw new UnlinkableModuleException(
                        "module '"
                                + name
                                + "' imports "
                                + what
                                + ", which the host does not provide. Allowed imports: ipdm.log, ipdm.abort");
            }
            String actual = bin.functionType(functionIndexOfImport(bin, i)).signature();
            if (!actual.equals(sig)) {
                throw new UnlinkableModuleException(
                        "module '"
                                + name
                                + "' imports "
                                + what
                                + " with signature "
                                + actual
                                + "; the host provides "
                                + sig);
            }
        }
    }

    private static int functionIndexOfImport(WasmBinary bin, WasmBinary.Import target) {
        int idx = 0;
        for (WasmBinary.Import i : bin.imports()) {
            if (i == target) {
                return idx;
            }
            if (i.kind() == 0) {
                idx++;
            }
        }
        throw new IllegalStateException("import not found");
    }

    private static void checkMemory(String name, WasmBinary bin, SandboxLimits limits) {
        if (bin.memories().size() != 1) {
            throw new InvalidModuleException(
                    "module '"
                            + name
                            + "' defines "
                            + bin.memories().size()
                            + " memories; IPDM modules define exactly one and export it as 'memory'");
        }
        long min = bin.memories().get(0).min();
        if (min > limits.maxMemoryPages()) {
            throw new BudgetExceededException(
                    "module '"
                            + name
                            + "' starts with "
                            + min
                            + " memory pages, above the cap of "
                            + limits.describe());
        }
        boolean exported =
                bin.exports().stream().anyMatch(e -> e.kind() == 2 && e.name().equals("memory"));
        if (!exported) {
            throw new InvalidModuleException(
                    "module '" + name + "' does not export its memory as 'memory'");
        }
    }

    private static void checkExports(String name, WasmBinary bin, AbiDescriptor d) {
        requireExport(name, bin, "ipdm_alloc", "(i32) -> (i32)");
        requireExport(name, bin, "ipdm_reset", "() -> ()");
        for (FunctionSpec f : d.functions().values()) {
            for (String e : f.requiredExports()) {
                requireExport(name, bin, e, signature(f, e));
            }
        }
    }

    static String signature(FunctionSpec f, String export) {
        if (f.kind() != io.ipdm.wasm.abi.FunctionKind.AGGREGATE) {
            return "(i32) -> (i32)";
        }
        if (export.endsWith("_add") || export.endsWith("_merge")) {
            return "(i32, i32) -> (i32)";
        }
        if (export.endsWith("_create")) {
            return "() -> (i32)";
        }
        return "(i32) -> (i32)";
    }

    private static void requireExport(String name, WasmBinary bin, String export, String sig) {
        WasmBinary.Export e =
                bin.exports().stream()
                        .filter(x -> x.kind() == 0 && x.name().equals(export))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new InvalidModuleException(
                                                "module '"
                                                        + name
                                                        + "' does not export function '"
                                                        + export
                                                        + "' "
                                                        + sig
                                                        + " required by its ABI descriptor; exports: "
                                                        + Arrays.toString(
                                                                bin.exports().stream()
                                                                        .map(
                                                                                WasmBinary.Export
                                                                                        ::name)
                                                                        .toArray())));
        String actual = bin.functionType(e.index()).signature();
        if (!actual.equals(sig)) {
            throw new InvalidModuleException(
                    "module '"
                            + name
                            + "' exports '"
                            + export
                            + "' as "
                            + actual
                            + "; ABI v1 needs "
                            + sig);
        }
    }
}
