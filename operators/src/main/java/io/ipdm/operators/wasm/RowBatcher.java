package io.ipdm.operators.wasm;

import io.ipdm.wasm.abi.BatchSchema;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.types.Row;

/**
 * Collects rows (with their event timestamps) up to a capacity and turns them into one Arrow batch
 * of a module function's input columns. The Arrow vectors are reset, not reallocated, between
 * batches, so steady state allocates nothing. Not thread-safe.
 */
final class RowBatcher {
    private static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final BatchSchema schema;
    private final int[] fields;
    private final VectorSchemaRoot root;
    private final Row[] rows;
    private final long[] timestamps;
    private int size;

    /**
     * @param fields for each input column of {@code schema}, the row field it is read from
     * @param root vectors of {@code schema}, owned by the caller
     */
    RowBatcher(BatchSchema schema, int[] fields, int capacity, VectorSchemaRoot root) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + capacity);
        }
        this.schema = schema;
        this.fields = fields.clone();
        this.root = root;
        this.rows = new Row[capacity];
        this.timestamps = new long[capacity];
    }

    /** Adds a row; returns true when the batch is full. */
    boolean add(Row row, boolean hasTimestamp, long timestamp) {
        rows[size] = row;
        timestamps[size] = hasTimestamp ? timestamp : NO_TIMESTAMP;
        size++;
        return size == rows.length;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Row row(int i) {
        return rows[i];
    }

    boolean hasTimestamp(int i) {
        return timestamps[i] != NO_TIMESTAMP;
    }

    long timestamp(int i) {
        return timestamps[i];
    }

    /** The largest event timestamp in the batch, or {@link Long#MIN_VALUE} if none has one. */
    long maxTimestamp() {
        long max = NO_TIMESTAMP;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, timestamps[i]);
        }
        return max;
    }

    /** Writes the buffered rows into the Arrow vectors and returns them. */
    VectorSchemaRoot toArrow() {
        for (int c = 0; c < fields.length; c++) {
            FieldVector v = root.getVector(c);
            v.reset();
            RowColumns.write(schema.column(c).type(), rows, size, fields[c], v);
        }
        root.setRowCount(size);
        return root;
    }

    /** Empties the batch (drops the row references). */
    void clear() {
        java.util.Arrays.fill(rows, 0, size, null);
        size = 0;
    }
}
