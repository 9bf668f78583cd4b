package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;

/** {@code kind: wasm}: the WebAssembly stage; its operator comes with the wasm-udf work. */
public final class WasmTranslator implements StageTranslator<StageSpec.Wasm> {
    @Override
    public TypedStream translate(StageSpec.Wasm stage, TypedStream input, CompileContext ctx) {
        throw ctx.error(
                "stages." + stage.id() + ".kind",
                "wasm stages are declared in spec v1 but this build cannot run them yet");
    }
}
