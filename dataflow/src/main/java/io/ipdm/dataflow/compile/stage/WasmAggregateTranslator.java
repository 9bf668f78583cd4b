package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.wasm.WasmAggregator;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A window aggregate {@code {wasm: <module>.<function>, fields, columns, batch}}: the module's
 * aggregate function as a {@link WasmAggregator}. Checked before the job starts, each error at its
 * key: the module and function exist and the function is an aggregate ({@code .wasm}), every {@code
 * fields} / {@code columns} key is a column of the module, and every input column has a row field
 * of a type it takes ({@code .fields.<column>} when mapped, else {@code .wasm}).
 */
final class WasmAggregateTranslator {
    /** Rows folded into the state per module call, unless {@code batch} says otherwise. */
    static final int DEFAULT_BATCH = 256;

    private WasmAggregateTranslator() {}

    static AggregateSpec aggregate(
            AggregateDef.Wasm a, String path, StreamType input, CompileContext ctx) {
        String ref = path + ".wasm";
        WasmModule module = Modules.load(a.module(), ref, ctx);
        FunctionSpec f;
        try {
            f = module.function(a.function());
        } catch (WasmException | IllegalArgumentException e) {
            throw ctx.error(
                    ref,
                    "module '"
                            + a.module()
                            + "' has no function '"
                            + a.function()
                            + "'; its aggregates: "
                            + aggregates(module));
        }
        if (f.kind() != FunctionKind.AGGREGATE) {
            throw ctx.error(
                    ref,
                    "'"
                            + a.module()
                            + "."
                            + a.function()
                            + "' is a "
                            + f.kind().abiName()
                            + ", not an aggregate (use it in a wasm stage); the module's aggregates: "
                            + aggregates(module));
        }
        checkColumns(a.fields(), f.input(), path + ".fields", "input", ctx);
        checkColumns(a.columns(), f.output(), path + ".columns", "output", ctx);
        for (Map.Entry<String, String> e : a.fields().entrySet()) {
            if (input.type().getFieldIndex(e.getValue()) < 0) {
                throw ctx.error(
                        path + ".fields." + e.getKey(), Fields.unknown(e.getValue(), input));
            }
        }
        WasmStage stage =
                WasmStage.of(module, a.function())
                        .withBatching(
                                a.batch() == null ? DEFAULT_BATCH : a.batch(),
                                WasmStage.DEFAULT_MAX_BATCH_DELAY);
        try {
            return AggregateSpec.custom(
                    a.module() + "." + a.function(),
                    new WasmAggregator(stage, input.type(), a.fields(), a.columns()));
        } catch (IllegalArgumentException e) {
            String at = ref;
            for (String col : a.fields().keySet()) {
                if (e.getMessage().contains("column '" + col + "'")) {
                    at = path + ".fields." + col;
                }
            }
            throw ctx.error(at, e.getMessage());
        }
    }

    private static void checkColumns(
            Map<String, String> named,
            BatchSchema schema,
            String path,
            String side,
            CompileContext ctx) {
        List<String> known = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            known.add(schema.column(i).name());
        }
        for (String k : named.keySet()) {
            if (!known.contains(k)) {
                throw ctx.error(
                        path + "." + k,
                        "the aggregate has no "
                                + side
                                + " column '"
                                + k
                                + "'; its "
                                + side
                                + " columns: "
                                + String.join(", ", known));
            }
        }
    }

    private static String aggregates(WasmModule module) {
        List<String> names =
                module.descriptor().functions().values().stream()
                        .filter(fn -> fn.kind() == FunctionKind.AGGREGATE)
                        .map(FunctionSpec::name)
                        .toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
