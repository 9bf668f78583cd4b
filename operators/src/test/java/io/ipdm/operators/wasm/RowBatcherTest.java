package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.abi.ArrowBatches;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class RowBatcherTest {
    static final BatchSchema SCHEMA =
            BatchSchema.of(
                    new Column("programs", ColumnType.LIST_UTF8, true),
                    new Column("fee", ColumnType.INT64, true));

    @Test
    void buildsBatchesFromRowFieldsAndReusesVectors() {
        try (RootAllocator a = new RootAllocator();
                VectorSchemaRoot root = ArrowBatches.createRoot(SCHEMA, a)) {
            // the row has the fields in another order: the batcher reads by position
            RowBatcher b = new RowBatcher(SCHEMA, new int[] {2, 0}, 3, root);
            assertThat(b.add(Row.of(5L, "x", List.of("a", "b")), true, 1000)).isFalse();
            assertThat(b.add(Row.of(null, "y", new String[] {"c", null}), false, 0)).isFalse();
            assertThat(b.add(Row.of(7L, "z", null), true, 3000)).isTrue();
            assertThat(b.maxTimestamp()).isEqualTo(3000);
            assertThat(b.hasTimestamp(1)).isFalse();
            VectorSchemaRoot r = b.toArrow();
            assertThat(r.getRowCount()).isEqualTo(3);
            assertThat(r.getVector(0).getObject(0).toString()).isEqualTo("[\"a\",\"b\"]");
            assertThat(r.getVector(0).getObject(1).toString()).isEqualTo("[\"c\",null]");
            assertThat(r.getVector(0).isNull(2)).isTrue();
            assertThat(Arrays.asList(r.getVector(1).getObject(0), r.getVector(1).getObject(1)))
                    .containsExactly(5L, null);
            long capacity = r.getVector(1).getDataBuffer().capacity();
            b.clear();
            assertThat(b.isEmpty()).isTrue();
            b.add(Row.of(9L, "w", List.of()), true, 1);
            r = b.toArrow();
            assertThat(r.getRowCount()).isEqualTo(1);
            assertThat(r.getVector(1).getObject(0)).isEqualTo(9L);
            assertThat(r.getVector(1).isNull(0)).isFalse();
            assertThat(r.getVector(1).getDataBuffer().capacity()).isEqualTo(capacity);
        }
    }
}
