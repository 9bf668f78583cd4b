package io.ipdm.operators.wasm;

import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.Serial;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;

/**
 * Runs a module's map, filter or flatMap over batches of rows. A batch is sent to the module when
 * it is full, when its oldest row has waited {@link WasmStage#maxBatchDelay()}, before a watermark
 * is forwarded (so no row overtakes a watermark), before a checkpoint barrier (so the buffer is
 * empty in every snapshot and the operator needs no state) and at end of input.
 *
 * <p>Output: a filter emits the kept input rows; a map emits each input row with the module's
 * output columns set (replacing fields of the same name, else appended); a flatMap emits the
 * module's rows, stamped with the largest event timestamp of their batch. On failure the job fails
 * or, with {@link FailurePolicy#DEAD_LETTER}, every row of the batch goes to the dead-letter output
 * with the error appended, counted in {@link WasmOperators#DEAD_LETTERS}.
 */
final class WasmBatchOperator extends AbstractStreamOperator<Row>
        implements OneInputStreamOperator<Row, Row>, ProcessingTimeCallback {
    @Serial private static final long serialVersionUID = 1L;

    private final WasmStage stage;
    private final int[] inputFields;

    /** Map only: output row position of each module output column. */
    private final int[] outputTargets;

    private final int outArity;
    private final OutputTag<Row> deadLetters;

    private transient BufferAllocator allocator;
    private transient ModuleSession session;
    private transient VectorSchemaRoot input;
    private transient RowBatcher batcher;
    private transient FunctionKind kind;
    private transient BatchSchema outSchema;
    private transient long batchStartedAt;
    private transient boolean timerPending;
    private transient StreamRecord<Row> reuse;
    private transient Counter deadLetterRows;

    WasmBatchOperator(
            WasmStage stage,
            int[] inputFields,
            int[] outputTargets,
            int outArity,
            OutputTag<Row> deadLetters) {
        this.stage = stage;
        this.inputFields = inputFields.clone();
        this.outputTargets = outputTargets.clone();
        this.outArity = outArity;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open() throws Exception {
        super.open();
        WasmModule module = stage.module();
        FunctionSpec f = module.function(stage.function());
        kind = f.kind();
        outSchema = f.output();
        allocator = new RootAllocator();
        session = new ModuleSession(module, allocator);
        input = session.newInput(stage.function());
        batcher = new RowBatcher(f.input(), inputFields, stage.batchSize(), input);
        reuse = new StreamRecord<>(null);
        if (deadLetters != null) {
            deadLetterRows = getMetricGroup().counter(WasmOperators.DEAD_LETTERS);
        }
    }

    @Override
    public void processElement(StreamRecord<Row> element) throws Exception {
        if (batcher.isEmpty()) {
            batchStartedAt = getProcessingTimeService().getCurrentProcessingTime();
            if (!timerPending) {
                timerPending = true;
                getProcessingTimeService()
                        .registerTimer(batchStartedAt + stage.maxBatchDelay().toMillis(), this);
            }
        }
        if (batcher.add(element.getValue(), element.hasTimestamp(), element.getTimestamp())) {
            flush();
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        if (batcher.isEmpty()) {
            return;
        }
        long due = batchStartedAt + stage.maxBatchDelay().toMillis();
        if (time >= due) {
            flush();
        } else {
            timerPending = true;
            getProcessingTimeService().registerTimer(due, this);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (input != null) {
                input.close();
            }
            if (session != null) {
                session.close();
            }
            if (allocator != null) {
                allocator.close();
            }
        } finally {
            super.close();
        }
    }

    private void flush() {
        if (batcher.isEmpty()) {
            return;
        }
        try {
            VectorSchemaRoot in = batcher.toArrow();
            switch (kind) {
                case FILTER -> emitSelected(session.filter(stage.function(), in));
                case MAP -> emitMapped(session.map(stage.function(), in));
                case FLAT_MAP -> emitRows(session.map(stage.function(), in));
                default ->
                        throw new IllegalStateException(
                                "function '" + stage.function() + "' is an aggregate");
            }
        } catch (WasmException e) {
            if (deadLetters == null) {
                ModuleErrors.record(
                        getContainingTask().getEnvironment().getJobID().toHexString(), e);
                throw new FlinkRuntimeException(
                        "WASM stage failed (failure policy: fail the job): " + e.getMessage(), e);
            }
            LOG.warn(
                    "WASM batch of {} rows sent to the dead-letter output: {}",
                    batcher.size(),
                    e.getMessage());
            for (int i = 0; i < batcher.size(); i++) {
                Row r = batcher.row(i);
                Row dl = Row.withPositions(r.getArity() + 1);
                for (int f = 0; f < r.getArity(); f++) {
                    dl.setField(f, r.getField(f));
                }
                dl.setField(r.getArity(), e.getMessage());
                output.collect(deadLetters, stamp(new StreamRecord<>(dl), i));
            }
            deadLetterRows.inc(batcher.size());
        } finally {
            batcher.clear();
        }
    }

    private void emitSelected(int[] keep) {
        for (int i : keep) {
            output.collect(stamp(reuse.replace(batcher.row(i)), i));
        }
    }

    private void emitMapped(VectorSchemaRoot out) {
        int n = batcher.size();
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            Row r = batcher.row(i);
            Row o = Row.withPositions(outArity);
            for (int f = 0; f < r.getArity(); f++) {
                o.setField(f, r.getField(f));
            }
            rows[i] = o;
        }
        for (int c = 0; c < outputTargets.length; c++) {
            RowColumns.read(
                    outSchema.column(c).type(), out.getVector(c), n, rows, outputTargets[c]);
        }
        for (int i = 0; i < n; i++) {
            output.collect(stamp(reuse.replace(rows[i]), i));
        }
    }

    private void emitRows(VectorSchemaRoot out) {
        long ts = batcher.maxTimestamp();
        int n = out.getRowCount();
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = Row.withPositions(outSchema.size());
        }
        for (int c = 0; c < outSchema.size(); c++) {
            RowColumns.read(outSchema.column(c).type(), out.getVector(c), n, rows, c);
        }
        for (int i = 0; i < n; i++) {
            Row o = rows[i];
            if (ts == Long.MIN_VALUE) {
                reuse.replace(o);
                reuse.eraseTimestamp();
                output.collect(reuse);
            } else {
                output.collect(reuse.replace(o, ts));
            }
        }
    }

    private StreamRecord<Row> stamp(StreamRecord<Row> rec, int i) {
        if (batcher.hasTimestamp(i)) {
            rec.setTimestamp(batcher.timestamp(i));
        } else {
            rec.eraseTimestamp();
        }
        return rec;
    }
}
