package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.abi.ArrowBatches;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import java.time.Instant;
import java.util.Arrays;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** Typed column copies give exactly what the per-value path gives, nulls included. */
class RowColumnsTest {
    static final ColumnType[] TYPES = {
        ColumnType.INT32,
        ColumnType.INT64,
        ColumnType.UINT64,
        ColumnType.FLOAT64,
        ColumnType.BOOL,
        ColumnType.UTF8,
        ColumnType.BINARY,
        ColumnType.TIMESTAMP,
        ColumnType.LIST_UTF8
    };

    static Object value(ColumnType t, int i) {
        if (i % 5 == 3) {
            return null;
        }
        return switch (t) {
            case INT32 -> i - 7;
            case INT64, UINT64 -> (long) i * -123_456_789L;
            case FLOAT64 -> i * 0.25;
            case BOOL -> i % 2 == 0;
            case UTF8 -> i % 4 == 0 ? "" : "héllo " + i;
            case BINARY -> new byte[] {(byte) i, 2};
            case FIXED_BINARY_32 -> new byte[32];
            case TIMESTAMP -> Instant.ofEpochMilli(1_700_000_000_000L + i);
            case LIST_UTF8 ->
                    i % 2 == 0 ? new String[] {"a" + i, null, "ccc"} : Arrays.asList("x", "y" + i);
        };
    }

    @Test
    void typedWritesAndReadsEqualThePerValuePath() {
        int n = 5000; // more than the vectors' initial capacity
        Column[] cols = new Column[TYPES.length];
        for (int c = 0; c < TYPES.length; c++) {
            cols[c] = new Column("c" + c, TYPES[c], true);
        }
        BatchSchema schema = BatchSchema.of(cols);
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new Row(TYPES.length);
            for (int c = 0; c < TYPES.length; c++) {
                rows[i].setField(c, value(TYPES[c], i));
            }
        }
        try (RootAllocator a = new RootAllocator();
                VectorSchemaRoot typed = ArrowBatches.createRoot(schema, a)) {
            for (int round = 0; round < 2; round++) { // vectors are reset and reused
                for (int c = 0; c < TYPES.length; c++) {
                    typed.getVector(c).reset();
                    RowColumns.write(TYPES[c], rows, n, c, typed.getVector(c));
                }
                typed.setRowCount(n);
                Row[] back = new Row[n];
                for (int i = 0; i < n; i++) {
                    back[i] = new Row(TYPES.length);
                }
                for (int c = 0; c < TYPES.length; c++) {
                    RowColumns.read(TYPES[c], typed.getVector(c), n, back, c);
                }
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < TYPES.length; c++) {
                        Object expected =
                                rows[i].getField(c) instanceof String[] s
                                        ? Arrays.asList(s)
                                        : rows[i].getField(c);
                        Object perValue = ArrowValues.get(typed.getVector(c), TYPES[c], i);
                        assertThat(back[i].getField(c))
                                .as("row %d column %s", i, TYPES[c])
                                .isEqualTo(perValue);
                        if (expected instanceof byte[] b) {
                            assertThat((byte[]) perValue).isEqualTo(b);
                        } else {
                            assertThat(perValue)
                                    .as("row %d column %s", i, TYPES[c])
                                    .isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }
}
