package io.ipdm.operators.wasm;

import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.transformations.PhysicalTransformation;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * Adds WASM map, filter and flatMap stages to a stream of rows (see {@link WasmBatchOperator} for
 * batching and output rules). Everything that can be checked before the job runs is checked here:
 * the module (validated and its CID verified), the function and its kind, and that every input
 * column is a row field of a compatible type.
 */
public final class WasmOperators {
    /** Name of the field appended to dead-letter rows. */
    public static final String ERROR_FIELD = "wasm_error";

    /**
     * Rows a WASM stage sent to its dead-letter output: the operator metric (a counter, summed over
     * subtasks in the progress line) and the job accumulator (the exact total at the end).
     */
    public static final String DEAD_LETTERS = "deadLetters";

    private WasmOperators() {}

    /**
     * The stage's output rows and their schema, and the dead-letter rows (input fields plus {@value
     * #ERROR_FIELD}; empty unless the failure policy is {@link FailurePolicy#DEAD_LETTER}).
     */
    public record Result(
            DataStream<Row> out,
            RowTypeInfo outType,
            DataStream<Row> deadLetters,
            RowTypeInfo deadLetterType) {}

    /** The output schema of a stage, without building it (for pipeline validation). */
    public static RowTypeInfo outputType(RowTypeInfo inType, WasmStage stage) {
        return plan(inType, stage).outType;
    }

    /**
     * Adds the stage to {@code in}.
     *
     * @param uid stable operator uid (from the stage id), so savepoints survive edits
     */
    public static Result apply(
            DataStream<Row> in, RowTypeInfo inType, WasmStage stage, String uid) {
        Plan p = plan(inType, stage);
        RowTypeInfo dlType = deadLetterType(inType);
        OutputTag<Row> tag =
                stage.onFailure() == FailurePolicy.DEAD_LETTER
                        ? new OutputTag<>(uid + "-dead-letters", dlType)
                        : null;
        WasmBatchOperator op =
                new WasmBatchOperator(
                        stage, p.inputFields, p.outputTargets, p.outType.getArity(), tag);
        String name = "wasm " + stage.moduleName() + "." + stage.function();
        SingleOutputStreamOperator<Row> out = in.transform(name, p.outType, op).uid(uid);
        // a WASM stage is a per-record transformation: chain it with its neighbours
        ((PhysicalTransformation<?>) out.getTransformation())
                .setChainingStrategy(ChainingStrategy.ALWAYS);
        DataStream<Row> dl =
                tag == null
                        ? out.getSideOutput(new OutputTag<>(uid + "-dead-letters", dlType))
                        : out.getSideOutput(tag);
        return new Result(out, p.outType, dl, dlType);
    }

    static RowTypeInfo deadLetterType(RowTypeInfo inType) {
        List<TypeInformation<?>> types = new ArrayList<>(Arrays.asList(inType.getFieldTypes()));
        List<String> names = new ArrayList<>(Arrays.asList(inType.getFieldNames()));
        types.add(Types.STRING);
        names.add(ERROR_FIELD);
        return new RowTypeInfo(
                types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }

    private record Plan(int[] inputFields, int[] outputTargets, RowTypeInfo outType) {}

    private static Plan plan(RowTypeInfo inType, WasmStage stage) {
        WasmModule m = stage.module();
        FunctionSpec f = m.function(stage.function());
        String what = "module '" + m.name() + "' function '" + f.name() + "'";
        if (f.kind() == FunctionKind.AGGREGATE) {
            throw new IllegalArgumentException(
                    what
                            + " is an aggregate; use it in a window (WasmAggregateFunction), not as a map");
        }
        int[] inputFields = WasmTypes.inputFields(inType, f.input(), what);
        return switch (f.kind()) {
            case FILTER -> new Plan(inputFields, new int[0], inType);
            case FLAT_MAP -> new Plan(inputFields, new int[0], WasmTypes.rowType(f.output()));
            default -> mapPlan(inType, f.output(), inputFields);
        };
    }

    private static Plan mapPlan(RowTypeInfo inType, BatchSchema out, int[] inputFields) {
        List<TypeInformation<?>> types = new ArrayList<>(Arrays.asList(inType.getFieldTypes()));
        List<String> names = new ArrayList<>(Arrays.asList(inType.getFieldNames()));
        int[] targets = new int[out.size()];
        for (int c = 0; c < out.size(); c++) {
            String name = out.column(c).name();
            TypeInformation<?> t = WasmTypes.flinkType(out.column(c).type());
            int existing = names.indexOf(name);
            if (existing >= 0) {
                types.set(existing, t);
                targets[c] = existing;
            } else {
                types.add(t);
                names.add(name);
                targets[c] = names.size() - 1;
            }
        }
        return new Plan(
                inputFields,
                targets,
                new RowTypeInfo(
                        types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0])));
    }
}
