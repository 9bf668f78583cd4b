package io.ipdm.wasm;

import io.ipdm.wasm.abi.ArrowBatches;
import io.ipdm.wasm.abi.BatchReader;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.BatchWriter;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The columnar ABI v1 on top of one {@link WasmInstance}: map, filter, flatMap and aggregate calls
 * over Arrow batches (docs/wasm-abi.md). Each call resets the module's arena, copies the batch in
 * (one bulk copy per buffer), calls the export under the time budget and copies the answer out.
 * Output roots are owned by the session and reused: valid until the next call of the same function.
 * Not thread-safe (one per subtask).
 */
public final class ModuleSession implements AutoCloseable {
    /** Error codes a module function returns instead of a pointer (negative i32). */
    public static final Map<Integer, String> ERROR_CODES =
            Map.of(
                    -1, "IPDM_ERR_INPUT (the module rejected the batch)",
                    -2, "IPDM_ERR_NOMEM (the module ran out of memory)",
                    -3, "IPDM_ERR_STATE (the module could not read its aggregate state)",
                    -4, "IPDM_ERR_INTERNAL (a bug in the module)");

    private final WasmInstance instance;
    private final BufferAllocator allocator;
    private final BatchWriter writer = new BatchWriter();
    private final BatchReader reader = new BatchReader();
    private final Map<String, VectorSchemaRoot> outputs = new HashMap<>();
    private long batches;

    /** Instantiates {@code module}; output vectors come from {@code allocator}. */
    public ModuleSession(WasmModule module, BufferAllocator allocator) {
        this.instance = new WasmInstance(module);
        this.allocator = allocator;
    }

    public WasmModule module() {
        return instance.module();
    }

    /** Number of batches handed to the module so far (the batch number in error messages). */
    public long batches() {
        return batches;
    }

    /** Calls a map or flatMap function; the returned root is reused by the next call. */
    public VectorSchemaRoot map(String function, VectorSchemaRoot input) {
        FunctionSpec f = spec(function, FunctionKind.MAP, FunctionKind.FLAT_MAP);
        checkInput(f, input);
        long batch = batches++;
        return instance.budgeted(
                function,
                batch,
                () -> {
                    instance.resetArena();
                    int in = writer.write(instance, f.input(), input);
                    int out = pointer(instance.call(function, in));
                    VectorSchemaRoot root = output(f);
                    int rows = reader.read(instance, out, f.output(), root);
                    if (f.kind() == FunctionKind.MAP && rows != input.getRowCount()) {
                        throw new AbiViolationException(
                                instance.where()
                                        + " is a map but returned "
                                        + rows
                                        + " rows for "
                                        + input.getRowCount()
                                        + " (declare it as flatmap to change the row count)");
                    }
                    return root;
                });
    }

    /** Calls a filter function and returns the indexes of the rows to keep, ascending. */
    public int[] filter(String function, VectorSchemaRoot input) {
        FunctionSpec f = spec(function, FunctionKind.FILTER);
        checkInput(f, input);
        long batch = batches++;
        return instance.budgeted(
                function,
                batch,
                () -> {
                    instance.resetArena();
                    int in = writer.write(instance, f.input(), input);
                    int n = input.getRowCount();
                    int bitmap = pointer(instance.call(function, in));
                    ByteBuffer mem = instance.memory();
                    if ((long) bitmap + (n + 7) / 8 > mem.capacity()) {
                        throw new AbiViolationException(
                                instance.where() + " returned a selection outside its memory");
                    }
                    int[] keep = new int[n];
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        if ((mem.get(bitmap + (i >> 3)) & (1 << (i & 7))) != 0) {
                            keep[k++] = i;
                        }
                    }
                    return java.util.Arrays.copyOf(keep, k);
                });
    }

    /** A new, empty aggregate state. */
    public byte[] aggregateCreate(String function) {
        spec(function, FunctionKind.AGGREGATE);
        return instance.budgeted(
                function + "_create",
                batches,
                () -> {
                    instance.resetArena();
                    return readState(pointer(instance.call(function + "_create")));
                });
    }

    /** Folds a batch into {@code state}; returns the new state. */
    public byte[] aggregateAdd(String function, byte[] state, VectorSchemaRoot input) {
        FunctionSpec f = spec(function, FunctionKind.AGGREGATE);
        checkInput(f, input);
        long batch = batches++;
        return instance.budgeted(
                function + "_add",
                batch,
                () -> {
                    instance.resetArena();
                    int s = writeState(state);
                    int in = writer.write(instance, f.input(), input);
                    return readState(pointer(instance.call(function + "_add", s, in)));
                });
    }

    /** Merges two states (e.g. of merged session windows). */
    public byte[] aggregateMerge(String function, byte[] a, byte[] b) {
        spec(function, FunctionKind.AGGREGATE);
        return instance.budgeted(
                function + "_merge",
                batches,
                () -> {
                    instance.resetArena();
                    int pa = writeState(a);
                    int pb = writeState(b);
                    return readState(pointer(instance.call(function + "_merge", pa, pb)));
                });
    }

    /** The result row(s) of a state; the returned root is reused by the next call. */
    public VectorSchemaRoot aggregateResult(String function, byte[] state) {
        FunctionSpec f = spec(function, FunctionKind.AGGREGATE);
        return instance.budgeted(
                function + "_result",
                batches,
                () -> {
                    instance.resetArena();
                    int s = writeState(state);
                    VectorSchemaRoot root = output(f);
                    reader.read(
                            instance,
                            pointer(instance.call(function + "_result", s)),
                            f.output(),
                            root);
                    return root;
                });
    }

    /**
     * Passes a checkpointed state through the module's optional {@code _restore} export (state
     * migration between module versions); the identity when the module has none.
     */
    public byte[] aggregateRestore(String function, byte[] state) {
        return throughOptionalExport(function, "_restore", state);
    }

    /** Canonical bytes of a state for a checkpoint through the optional {@code _snapshot}. */
    public byte[] aggregateSnapshot(String function, byte[] state) {
        return throughOptionalExport(function, "_snapshot", state);
    }

    /** The state as the aggregate's export {@code function + suffix} returns it, if it has one. */
    private byte[] throughOptionalExport(String function, String suffix, byte[] state) {
        spec(function, FunctionKind.AGGREGATE);
        String export = function + suffix;
        if (!hasExport(export)) {
            return state;
        }
        return instance.budgeted(
                export,
                batches,
                () -> {
                    instance.resetArena();
                    return readState(pointer(instance.call(export, writeState(state))));
                });
    }

    /** Arrow vectors for a function's declared input, to fill and pass to the calls above. */
    public VectorSchemaRoot newInput(String function) {
        return ArrowBatches.createRoot(module().function(function).input(), allocator);
    }

    /** The low-level instance (for benchmarks that call exports directly). */
    public WasmInstance instance() {
        return instance;
    }

    @Override
    public void close() {
        outputs.values().forEach(VectorSchemaRoot::close);
        outputs.clear();
        instance.close();
    }

    private boolean hasExport(String name) {
        return module().exports().stream().anyMatch(e -> e.kind() == 0 && e.name().equals(name));
    }

    private FunctionSpec spec(String function, FunctionKind... kinds) {
        FunctionSpec f = module().function(function);
        for (FunctionKind k : kinds) {
            if (f.kind() == k) {
                return f;
            }
        }
        throw new InvalidModuleException(
                "module '"
                        + module().name()
                        + "' declares '"
                        + function
                        + "' as "
                        + f.kind().abiName()
                        + ", not "
                        + List.of(kinds).stream().map(FunctionKind::abiName).toList());
    }

    private void checkInput(FunctionSpec f, VectorSchemaRoot input) {
        BatchSchema s = f.input();
        List<FieldVector> vs = input.getFieldVectors();
        if (vs.size() != s.size()) {
            throw new IllegalArgumentException(
                    "function '"
                            + f.name()
                            + "' takes "
                            + s
                            + " but the batch has "
                            + input.getSchema());
        }
        for (int i = 0; i < s.size(); i++) {
            Column c = s.column(i);
            Field expected = ArrowBatches.toArrow(BatchSchema.of(c)).getFields().get(0);
            Field actual = vs.get(i).getField();
            if (!expected.getType().equals(actual.getType())) {
                throw new IllegalArgumentException(
                        "function '"
                                + f.name()
                                + "' column "
                                + i
                                + " is "
                                + c
                                + " but the batch has "
                                + actual);
            }
        }
    }

    private VectorSchemaRoot output(FunctionSpec f) {
        return outputs.computeIfAbsent(
                f.name(), k -> ArrowBatches.createRoot(f.output(), allocator));
    }

    private int pointer(int result) {
        if (result < 0) {
            String code = ERROR_CODES.getOrDefault(result, "unknown error code");
            String msg = instance.lastError();
            WasmException e =
                    new WasmTrapException(
                            instance.where()
                                    + " returned error "
                                    + result
                                    + " "
                                    + code
                                    + (msg == null ? "" : ": " + msg));
            if (result == -2) {
                e =
                        new BudgetExceededException(
                                e.getMessage()
                                        + " (limits: "
                                        + module().limits().describe()
                                        + "); "
                                        + module().limits().raiseMemory());
            }
            throw e;
        }
        if (result == 0) {
            throw new AbiViolationException(instance.where() + " returned a null pointer");
        }
        return result;
    }

    private int writeState(byte[] state) {
        int p = instance.allocate(4 + state.length);
        ByteBuffer mem = instance.memory();
        mem.putInt(p, state.length);
        mem.put(p + 4, state);
        return p;
    }

    private byte[] readState(int p) {
        ByteBuffer mem = instance.memory();
        if ((long) p + 4 > mem.capacity()) {
            throw new AbiViolationException(
                    instance.where() + " returned a state outside its memory");
        }
        int len = mem.getInt(p);
        if (len < 0 || (long) p + 4 + len > mem.capacity()) {
            throw new AbiViolationException(
                    instance.where() + " returned a state of " + len + " bytes outside its memory");
        }
        byte[] out = new byte[len];
        mem.get(p + 4, out);
        return out;
    }
}
