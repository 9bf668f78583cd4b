package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.wasm.FailurePolicy;
import io.ipdm.operators.wasm.WasmOperators;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleRegistry;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code kind: wasm}: a module's map, filter or flatmap over batches of rows (aggregates belong in
 * windows). Module {@code config}: {@code max_memory_pages}, {@code timeout} (per-call budget).
 * Stage {@code options}: {@code batch} (rows per batch), {@code max_batch_delay}, {@code
 * on_failure} ({@code fail} or {@code dead_letter}) and {@code dead_letters} (the id of the stream
 * of failed rows, default {@code <stage id>_dead_letters}).
 */
public final class WasmTranslator implements StageTranslator<StageSpec.Wasm> {
    @Override
    public TypedStream translate(StageSpec.Wasm stage, TypedStream input, CompileContext ctx) {
        String base = "stages." + stage.id();
        ModuleSpec spec =
                ctx.spec().modules().stream()
                        .filter(m -> m.id().equals(stage.module()))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        ctx.error(
                                                base + ".module",
                                                "no module '" + stage.module() + "'"));
        String mbase = "modules." + spec.id();
        Options config = new Options(spec.config(), mbase + ".config", ctx);
        long pages = config.longValue("max_memory_pages", SandboxLimits.DEFAULT_MAX_MEMORY_PAGES);
        Duration timeout = config.duration("timeout", SandboxLimits.DEFAULT_CALL_TIMEOUT);
        config.checkKnown();
        SandboxLimits limits;
        try {
            limits = new SandboxLimits(timeout, (int) Math.min(pages, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw ctx.error(mbase + ".config", e.getMessage());
        }
        WasmModule module = load(spec, mbase, limits, ctx);

        Options o = new Options(stage.options(), base + ".options", ctx);
        long batch = o.longValue("batch", WasmStage.DEFAULT_BATCH_SIZE);
        Duration delay = o.duration("max_batch_delay", WasmStage.DEFAULT_MAX_BATCH_DELAY);
        String onFailure = o.string("on_failure", "fail");
        String deadLetters = o.string("dead_letters", stage.id() + "_dead_letters");
        o.checkKnown();
        if (batch < 1 || batch > 1_000_000) {
            throw ctx.error(base + ".options.batch", "batch must be 1..1000000 rows, got " + batch);
        }
        FailurePolicy policy =
                switch (onFailure) {
                    case "fail" -> FailurePolicy.FAIL;
                    case "dead_letter" -> FailurePolicy.DEAD_LETTER;
                    default ->
                            throw ctx.error(
                                    base + ".options.on_failure",
                                    "unknown failure policy '"
                                            + onFailure
                                            + "'; allowed: fail (the job fails and restarts from"
                                            + " its last checkpoint), dead_letter");
                };
        WasmStage ws =
                WasmStage.of(module, stage.function())
                        .withBatching((int) batch, delay)
                        .withFailurePolicy(policy);
        WasmOperators.Result r;
        try {
            r =
                    WasmOperators.apply(
                            input.stream(),
                            input.type(),
                            ws,
                            CompileContext.uid(stage.id(), "wasm"));
        } catch (IllegalArgumentException | WasmException e) {
            throw ctx.error(base + ".function", e.getMessage());
        }
        if (policy == FailurePolicy.DEAD_LETTER) {
            ctx.addStream(
                    deadLetters,
                    new TypedStream(
                            deadLetters,
                            r.deadLetters(),
                            r.deadLetterType(),
                            List.of(),
                            input.eventTime()));
        }
        // key fields survive when the module leaves them as they were (filters, maps adding
        // columns)
        boolean keysKept =
                input.keyFields().stream()
                        .allMatch(
                                k ->
                                        r.outType().getFieldIndex(k) >= 0
                                                && r.outType()
                                                        .getTypeAt(k)
                                                        .equals(input.type().getTypeAt(k)));
        return new TypedStream(
                stage.id(),
                r.out(),
                r.outType(),
                keysKept ? input.keyFields() : List.of(),
                input.eventTime());
    }

    private static WasmModule load(
            ModuleSpec spec, String mbase, SandboxLimits limits, CompileContext ctx) {
        if (spec.path() == null) {
            throw ctx.error(
                    mbase + ".cid",
                    "loading a module by CID alone needs the module catalog, which this build does"
                            + " not have yet; give its 'path'");
        }
        Path file = ctx.moduleDir().resolve(spec.path()).normalize();
        if (!Files.isRegularFile(file)) {
            throw ctx.error(mbase + ".path", "no such module file: " + file);
        }
        try {
            return ModuleRegistry.jvm().load(file, (ModuleCid) null, limits);
        } catch (WasmException e) {
            throw ctx.error(mbase + ".path", e.getMessage());
        }
    }
}
