package io.ipdm.operators.wasm;

import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * A module's aggregate as a Flink window {@link AggregateFunction}. The accumulator is a row of
 * (state blob, pending rows, CID of the module that made the state), typed by {@link
 * #accumulatorType()} with Flink's own serializers, so window state is checkpointed like any other.
 * Rows are buffered in the accumulator and folded into the state a batch at a time ({@code
 * NAME_add}); a state made by another module version goes through {@code NAME_restore} first.
 * Module errors fail the job (an aggregate cannot route rows to a dead-letter output).
 */
public final class WasmAggregateFunction implements AggregateFunction<Row, Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final WasmStage stage;
    private final RowTypeInfo inType;
    private final int[] inputFields;
    private final BatchSchema input;
    private final BatchSchema output;

    /**
     * @param stage the module and aggregate function; its batch size is the fold size
     * @throws IllegalArgumentException if the function is not an aggregate or an input column is
     *     not a compatible field of {@code inType}
     */
    public WasmAggregateFunction(WasmStage stage, RowTypeInfo inType) {
        FunctionSpec f = stage.module().function(stage.function());
        String what = "module '" + stage.moduleName() + "' function '" + f.name() + "'";
        if (f.kind() != FunctionKind.AGGREGATE) {
            throw new IllegalArgumentException(
                    what + " is a " + f.kind().abiName() + ", not an aggregate");
        }
        this.stage = stage;
        this.inType = inType;
        this.inputFields = WasmTypes.inputFields(inType, f.input(), what);
        this.input = f.input();
        this.output = f.output();
    }

    /** (state BYTES, pending LIST(input row), module_cid STRING). */
    public TypeInformation<Row> accumulatorType() {
        return Types.ROW_NAMED(
                new String[] {"state", "pending", "module_cid"},
                Types.PRIMITIVE_ARRAY(Types.BYTE),
                Types.LIST(inType),
                Types.STRING);
    }

    /** One field per output column of the aggregate. */
    public RowTypeInfo resultType() {
        return WasmTypes.rowType(output);
    }

    @Override
    public Row createAccumulator() {
        byte[] state = call(() -> session().aggregateCreate(stage.function()));
        return Row.of(state, new ArrayList<Row>(), stage.moduleCid());
    }

    @Override
    public Row add(Row value, Row acc) {
        List<Row> pending = pending(acc);
        pending.add(value);
        if (pending.size() >= stage.batchSize()) {
            fold(acc);
        }
        return acc;
    }

    @Override
    public Row getResult(Row acc) {
        fold(acc);
        byte[] state = (byte[]) acc.getField(0);
        return call(
                () -> {
                    VectorSchemaRoot out = session().aggregateResult(stage.function(), state);
                    if (out.getRowCount() != 1) {
                        throw new FlinkRuntimeException(
                                "module '"
                                        + stage.moduleName()
                                        + "' aggregate '"
                                        + stage.function()
                                        + "' returned "
                                        + out.getRowCount()
                                        + " result rows; a window aggregate needs exactly 1");
                    }
                    Row r = Row.withPositions(output.size());
                    for (int c = 0; c < output.size(); c++) {
                        r.setField(
                                c, ArrowValues.get(out.getVector(c), output.column(c).type(), 0));
                    }
                    return r;
                });
    }

    @Override
    public Row merge(Row a, Row b) {
        fold(a);
        fold(b);
        byte[] merged =
                call(
                        () ->
                                session()
                                        .aggregateMerge(
                                                stage.function(),
                                                (byte[]) a.getField(0),
                                                (byte[]) b.getField(0)));
        return Row.of(merged, new ArrayList<Row>(), stage.moduleCid());
    }

    /** Folds pending rows into the state (restoring a foreign state first). */
    private void fold(Row acc) {
        ModuleSession s = session();
        if (!stage.moduleCid().equals(acc.getField(2))) {
            byte[] restored =
                    call(() -> s.aggregateRestore(stage.function(), (byte[]) acc.getField(0)));
            acc.setField(0, restored);
            acc.setField(2, stage.moduleCid());
        }
        List<Row> pending = pending(acc);
        if (pending.isEmpty()) {
            return;
        }
        byte[] state =
                call(
                        () -> {
                            try (VectorSchemaRoot in = s.newInput(stage.function())) {
                                RowBatcher batcher =
                                        new RowBatcher(input, inputFields, pending.size(), in);
                                for (Row r : pending) {
                                    batcher.add(r, false, 0);
                                }
                                return s.aggregateAdd(
                                        stage.function(),
                                        (byte[]) acc.getField(0),
                                        batcher.toArrow());
                            }
                        });
        acc.setField(0, state);
        pending.clear();
    }

    @SuppressWarnings("unchecked")
    private static List<Row> pending(Row acc) {
        Object p = acc.getField(1);
        if (p instanceof ArrayList<?>) {
            return (List<Row>) p;
        }
        // a deserialized list may be immutable or of another class
        List<Row> copy = new ArrayList<>((List<Row>) p);
        acc.setField(1, copy);
        return copy;
    }

    private ModuleSession session() {
        return ThreadSessions.get(stage);
    }

    private static <T> T call(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (WasmException e) {
            throw new FlinkRuntimeException("WASM aggregate failed: " + e.getMessage(), e);
        }
    }
}
