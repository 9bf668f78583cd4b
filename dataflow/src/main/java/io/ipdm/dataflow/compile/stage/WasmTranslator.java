package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.wasm.FailurePolicy;
import io.ipdm.operators.wasm.WasmOperators;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
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
        WasmModule module = Modules.load(stage.module(), base + ".module", ctx);

        Options o = new Options(stage.options(), base + ".options", ctx);
        int batch = o.intValue("batch", WasmStage.DEFAULT_BATCH_SIZE, 1, 1_000_000);
        Duration delay = o.duration("max_batch_delay", WasmStage.DEFAULT_MAX_BATCH_DELAY);
        String onFailure = o.string("on_failure", "fail");
        String deadLetters = o.string("dead_letters", stage.id() + "_dead_letters");
        o.checkKnown();
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
                        .withBatching(batch, delay)
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
}
