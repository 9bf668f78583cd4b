package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.wasm.FailurePolicy;
import io.ipdm.operators.wasm.WasmOperators;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * {@code kind: wasm}: a module's map, filter or flatmap over batches of rows (aggregates belong in
 * windows). Module {@code config}: {@code max_memory_pages}, {@code timeout} (per-call budget).
 * With {@code on_failure: dead_letter} the rows of a failed batch, with the error in {@code
 * wasm_error}, become the stream {@code dead_letters} (default {@code <stage id>_dead_letters}),
 * which stages and sinks can read.
 */
public final class WasmKind implements StageKind<StageSpec.Wasm> {
    @Override
    public String name() {
        return "wasm";
    }

    @Override
    public String summary() {
        return "a WebAssembly module's map, filter or flatmap over batches of rows";
    }

    @Override
    public Class<StageSpec.Wasm> specType() {
        return StageSpec.Wasm.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.required("module", Type.STRING, "the id of a module in modules:"),
                OptionSpec.required("function", Type.STRING, "the module's function"),
                OptionSpec.of("options", Type.MAP, null, "the options below"));
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of(
                                "batch",
                                Type.INTEGER,
                                (long) WasmStage.DEFAULT_BATCH_SIZE,
                                "rows per module call")
                        .range(1, 1_000_000),
                OptionSpec.of(
                        "max_batch_delay",
                        Type.DURATION,
                        WasmStage.DEFAULT_MAX_BATCH_DELAY,
                        "longest a row waits for its batch to fill"),
                OptionSpec.of(
                        StageSpec.Wasm.ON_FAILURE,
                        Type.STRING,
                        "fail",
                        "fail (the job fails and restarts from its last checkpoint) or dead_letter"
                                + " (the batch's rows go to the dead-letter stream)"),
                OptionSpec.of(
                        StageSpec.Wasm.DEAD_LETTERS,
                        Type.STRING,
                        null,
                        "id of the dead-letter stream: the input's fields plus wasm_error"
                                + " (default: the stage id followed by _dead_letters)"));
    }

    private Options options(StageSpec.Wasm stage) {
        return new Options(stage.options(), options(), "stages." + stage.id() + ".options");
    }

    /** The module call as configured; every option checked. */
    private WasmStage stage(StageSpec.Wasm stage, CompileContext ctx) {
        String base = "stages." + stage.id();
        WasmModule module = Modules.load(stage.module(), base + ".module", ctx);
        Options o = options(stage);
        int batch = o.int32("batch");
        String onFailure = o.string(StageSpec.Wasm.ON_FAILURE);
        FailurePolicy policy =
                switch (onFailure) {
                    case "fail" -> FailurePolicy.FAIL;
                    case "dead_letter" -> FailurePolicy.DEAD_LETTER;
                    default ->
                            throw ctx.error(
                                    o.path(StageSpec.Wasm.ON_FAILURE),
                                    "unknown failure policy '"
                                            + onFailure
                                            + "'; allowed: fail (the job fails and restarts from"
                                            + " its last checkpoint), dead_letter");
                };
        if (policy == FailurePolicy.FAIL && o.given(StageSpec.Wasm.DEAD_LETTERS)) {
            throw ctx.error(
                    o.path(StageSpec.Wasm.DEAD_LETTERS),
                    "dead_letters names the stream of failed rows, and on_failure is fail (no"
                            + " rows go there); set on_failure: dead_letter or drop dead_letters");
        }
        try {
            return WasmStage.of(module, stage.function())
                    .withBatching(batch, o.duration("max_batch_delay"))
                    .withFailurePolicy(policy);
        } catch (IllegalArgumentException e) {
            throw ctx.error(o.path("max_batch_delay"), e.getMessage());
        }
    }

    @Override
    public StreamType type(StageSpec.Wasm stage, StreamType input, CompileContext ctx) {
        WasmStage ws = stage(stage, ctx);
        RowTypeInfo out;
        try {
            out = WasmOperators.outputType(input.type(), ws);
        } catch (IllegalArgumentException | WasmException e) {
            throw ctx.error("stages." + stage.id() + ".function", e.getMessage());
        }
        return new StreamType(stage.id(), out, keysKept(input, out), input.eventTime());
    }

    @Override
    public TypedStream emit(StageSpec.Wasm stage, TypedStream input, CompileContext ctx) {
        WasmOperators.Result r =
                WasmOperators.apply(
                        input.stream(),
                        input.type(),
                        stage(stage, ctx),
                        CompileContext.uid(stage.id(), "wasm"));
        if (stage.routesDeadLetters()) {
            String id = stage.deadLetterStream();
            ctx.addSideStream(
                    id,
                    new TypedStream(
                            id, r.deadLetters(), r.deadLetterType(), List.of(), input.eventTime()));
        }
        return new TypedStream(
                stage.id(),
                r.out(),
                r.outType(),
                keysKept(input.shape(), r.outType()),
                input.eventTime());
    }

    /**
     * Key fields survive when the module leaves them as they were (filters, maps adding columns).
     */
    private static List<String> keysKept(StreamType input, RowTypeInfo out) {
        boolean kept =
                input.keyFields().stream()
                        .allMatch(
                                k ->
                                        out.getFieldIndex(k) >= 0
                                                && out.getTypeAt(k)
                                                        .equals(input.type().getTypeAt(k)));
        return kept ? input.keyFields() : List.of();
    }
}
