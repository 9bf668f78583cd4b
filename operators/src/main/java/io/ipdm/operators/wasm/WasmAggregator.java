package io.ipdm.operators.wasm;

import io.ipdm.operators.aggregate.MultiColumnAggregator;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.Serial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * A module's aggregate ({@code NAME_create / _add / _merge / _result / _snapshot / _restore}) as a
 * window aggregator. Rows are projected to the module's input columns and buffered in the {@link
 * WasmAccumulator}; every {@link WasmStage#batchSize()} rows (and before a result or merge) they
 * are folded into the state blob with one {@code NAME_add} call. After every fold the state goes
 * through {@code NAME_snapshot} (if exported), so what Flink checkpoints is canonical. The result
 * batch must have exactly one row; its columns become window columns, optionally renamed. Module
 * errors fail the job (a window cannot route rows to a dead-letter output).
 */
public final class WasmAggregator implements MultiColumnAggregator<WasmAccumulator> {
    @Serial private static final long serialVersionUID = 1L;

    private final WasmStage stage;
    private final int[] inputFields;
    private final int[] batchColumns; // pending rows hold the input columns in order
    private final RowTypeInfo pendingType;
    private final RowTypeInfo resultType;
    private final BatchSchema output;

    /**
     * @param fields module input column -> row field it reads (columns not named read the field of
     *     the same name)
     * @param columns module output column -> window column name (others keep their name)
     * @throws IllegalArgumentException if the function is not an aggregate, a named column is not
     *     one of the module's, or an input column has no compatible field in {@code inType}
     */
    public WasmAggregator(
            WasmStage stage,
            RowTypeInfo inType,
            Map<String, String> fields,
            Map<String, String> columns) {
        FunctionSpec f = stage.module().function(stage.function());
        String what = "module '" + stage.moduleName() + "' function '" + f.name() + "'";
        if (f.kind() != FunctionKind.AGGREGATE) {
            throw new IllegalArgumentException(
                    what + " is a " + f.kind().abiName() + ", not an aggregate");
        }
        requireColumns(what, "input", f.input(), fields.keySet());
        requireColumns(what, "output", f.output(), columns.keySet());
        this.stage = stage;
        this.inputFields = WasmTypes.inputFields(inType, f.input(), fields, what);
        this.batchColumns = java.util.stream.IntStream.range(0, inputFields.length).toArray();
        TypeInformation<?>[] types = new TypeInformation<?>[inputFields.length];
        String[] names = new String[inputFields.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = inType.getTypeAt(inputFields[i]);
            names[i] = f.input().column(i).name();
        }
        this.pendingType = new RowTypeInfo(types, names);
        this.output = f.output();
        RowTypeInfo declared = WasmTypes.rowType(output);
        String[] outNames = declared.getFieldNames().clone();
        for (int i = 0; i < outNames.length; i++) {
            outNames[i] = columns.getOrDefault(outNames[i], outNames[i]);
        }
        this.resultType = new RowTypeInfo(declared.getFieldTypes(), outNames);
    }

    private static void requireColumns(
            String what, String side, BatchSchema schema, Set<String> named) {
        Set<String> known = new HashSet<>();
        for (int i = 0; i < schema.size(); i++) {
            known.add(schema.column(i).name());
        }
        for (String n : named) {
            if (!known.contains(n)) {
                List<String> list = new ArrayList<>();
                for (int i = 0; i < schema.size(); i++) {
                    list.add(schema.column(i).name());
                }
                throw new IllegalArgumentException(
                        what
                                + " has no "
                                + side
                                + " column '"
                                + n
                                + "'; its "
                                + side
                                + " columns: "
                                + String.join(", ", list));
            }
        }
    }

    public WasmStage stage() {
        return stage;
    }

    /** The module input columns with the types of the row fields they read (pending rows). */
    public RowTypeInfo pendingType() {
        return pendingType;
    }

    @Override
    public RowTypeInfo resultType() {
        return resultType;
    }

    @Override
    public TypeSerializer<WasmAccumulator> accumulatorSerializer(SerializerConfig config) {
        return new WasmAccumulatorSerializer(pendingType.createSerializer(config));
    }

    @Override
    public WasmAccumulator createAccumulator() {
        byte[] state = call(() -> session().aggregateCreate(stage.function()));
        return new WasmAccumulator(stage.moduleCid(), state, List.of());
    }

    @Override
    public WasmAccumulator add(WasmAccumulator acc, Row row) {
        Row in = new Row(inputFields.length);
        for (int i = 0; i < inputFields.length; i++) {
            in.setField(i, row.getField(inputFields[i]));
        }
        acc.pending.add(in);
        if (acc.pending.size() >= stage.batchSize()) {
            fold(acc);
        }
        return acc;
    }

    @Override
    public WasmAccumulator merge(WasmAccumulator a, WasmAccumulator b) {
        fold(a);
        fold(b);
        a.state = call(() -> session().aggregateMerge(stage.function(), a.state, b.state));
        return a;
    }

    @Override
    public Object result(WasmAccumulator acc) {
        fold(acc);
        return call(
                () -> {
                    VectorSchemaRoot out = session().aggregateResult(stage.function(), acc.state);
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
                    Row r = new Row(output.size());
                    for (int c = 0; c < output.size(); c++) {
                        r.setField(
                                c, ArrowValues.get(out.getVector(c), output.column(c).type(), 0));
                    }
                    return r;
                });
    }

    /** Folds pending rows into the state (restoring a foreign module version's state first). */
    void fold(WasmAccumulator acc) {
        ModuleSession s = session();
        if (!stage.moduleCid().equals(acc.moduleCid)) {
            byte[] old = acc.state;
            acc.state = call(() -> s.aggregateRestore(stage.function(), old));
            acc.moduleCid = stage.moduleCid();
        }
        if (acc.pending.isEmpty()) {
            return;
        }
        acc.state =
                call(
                        () -> {
                            try (VectorSchemaRoot in = s.newInput(stage.function())) {
                                RowBatcher batcher =
                                        new RowBatcher(
                                                s.module().function(stage.function()).input(),
                                                batchColumns,
                                                acc.pending.size(),
                                                in);
                                for (Row r : acc.pending) {
                                    batcher.add(r, false, 0);
                                }
                                byte[] next =
                                        s.aggregateAdd(
                                                stage.function(), acc.state, batcher.toArrow());
                                return s.aggregateSnapshot(stage.function(), next);
                            }
                        });
        acc.pending.clear();
    }

    private ModuleSession session() {
        return ThreadSessions.get(stage);
    }

    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (WasmException e) {
            throw new FlinkRuntimeException("WASM aggregate failed: " + e.getMessage(), e);
        }
    }
}
