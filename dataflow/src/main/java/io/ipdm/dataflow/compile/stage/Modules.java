package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleNotFoundException;
import io.ipdm.wasm.ModuleRegistry;
import io.ipdm.wasm.ModuleStore;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Loads the modules of a pipeline's {@code modules:} section for {@code wasm} stages and wasm
 * window aggregates: limits from {@code config} ({@code max_memory_pages}, {@code timeout}), bytes
 * from {@code path} (relative to the pipeline file) or, with {@code cid} alone, from the {@link
 * ModuleStore}, else from the network through a gateway ({@link ModuleFetcher}); the bytes are
 * always verified against a given {@code cid}.
 */
public final class Modules {
    /** The keys of a module's {@code config:} map. */
    public static final List<OptionSpec> CONFIG =
            List.of(
                    OptionSpec.of(
                                    SandboxLimits.MEMORY_KEY,
                                    Type.INTEGER,
                                    (long) SandboxLimits.DEFAULT_MAX_MEMORY_PAGES,
                                    "linear memory cap in 64 KiB pages")
                            .range(1, SandboxLimits.MAX_PAGES),
                    OptionSpec.of(
                            SandboxLimits.TIMEOUT_KEY,
                            Type.DURATION,
                            SandboxLimits.DEFAULT_CALL_TIMEOUT,
                            "time budget of one call"));

    private Modules() {}

    /** The module with id {@code id}; errors are reported at {@code refPath}. */
    static WasmModule load(String id, String refPath, CompileContext ctx) {
        ModuleSpec spec =
                ctx.spec().modules().stream()
                        .filter(m -> m.id().equals(id))
                        .findFirst()
                        .orElseThrow(() -> ctx.error(refPath, "no module '" + id + "'"));
        String mbase = "modules." + spec.id();
        Options config = new Options(spec.config(), CONFIG, mbase + ".config");
        int pages = config.int32(SandboxLimits.MEMORY_KEY);
        Duration timeout = config.duration(SandboxLimits.TIMEOUT_KEY);
        SandboxLimits limits;
        try {
            limits = new SandboxLimits(timeout, pages);
        } catch (IllegalArgumentException e) {
            throw ctx.error(mbase + ".config", e.getMessage());
        }
        ModuleCid pinned = null;
        if (spec.cid() != null) {
            try {
                pinned = ModuleCid.parse(spec.cid());
            } catch (IllegalArgumentException e) {
                throw ctx.error(mbase + ".cid", e.getMessage());
            }
        }
        if (spec.path() == null) {
            try {
                ModuleStore store = ModuleStore.configured();
                byte[] bytes;
                try {
                    bytes = store.get(pinned);
                } catch (ModuleNotFoundException missing) {
                    // not here: ask the network through a gateway; the CID is checked there
                    bytes = ModuleFetcher.configured().fetch(pinned, store);
                }
                return ModuleRegistry.jvm().load(spec.id(), bytes, pinned, limits);
            } catch (WasmException e) {
                throw ctx.error(mbase + ".cid", e.getMessage());
            }
        }
        Path file = ctx.moduleDir().resolve(spec.path()).normalize();
        if (!Files.isRegularFile(file)) {
            throw ctx.error(mbase + ".path", "no such module file: " + file);
        }
        try {
            return ModuleRegistry.jvm().load(file, pinned, limits);
        } catch (WasmException e) {
            throw ctx.error(
                    mbase + (pinned != null && e.getMessage().contains("pins") ? ".cid" : ".path"),
                    e.getMessage());
        }
    }
}
