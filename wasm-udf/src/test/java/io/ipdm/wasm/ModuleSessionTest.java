package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModuleSessionTest {
    static final String VOTE = "Vote111111111111111111111111111111111111111";
    static final String JUPITER = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
    static final String TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    static final String SYSTEM = "11111111111111111111111111111111";
    static final String BUDGET = "ComputeBudget111111111111111111111111111111";

    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown() {
        allocator.close(); // fails on leaked Arrow buffers
    }

    static void fill(VectorSchemaRoot root, BatchSchema schema, List<Object[]> rows) {
        root.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < schema.size(); c++) {
                ArrowValues.set(root.getVector(c), schema.column(c).type(), r, rows.get(r)[c]);
            }
        }
        root.setRowCount(rows.size());
    }

    static List<Object> column(VectorSchemaRoot root, int c, ColumnType t) {
        List<Object> out = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
            out.add(ArrowValues.get(root.getVector(c), t, r));
        }
        return out;
    }

    @Test
    void classifyMapsProgramListsToFamilies() {
        WasmModule m = Corpus.load("c/classify.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("classify")) {
            BatchSchema schema = m.function("classify").input();
            List<Object[]> rows =
                    List.of(
                            new Object[] {List.of(VOTE)},
                            new Object[] {List.of(BUDGET, JUPITER, TOKEN)},
                            new Object[] {List.of(TOKEN, SYSTEM)},
                            new Object[] {List.of(SYSTEM)},
                            new Object[] {List.of()},
                            new Object[] {null},
                            new Object[] {List.of(BUDGET)});
            fill(in, schema, rows);
            VectorSchemaRoot out = s.map("classify", in);
            assertThat(column(out, 0, ColumnType.UTF8))
                    .containsExactly("vote", "dex", "token", "system", "other", null, "other");
        }
    }

    @Test
    void sessionsReuseTheArenaAcrossManyBatches() {
        WasmModule m = Corpus.load("c/classify.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("classify")) {
            BatchSchema schema = m.function("classify").input();
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 1024; i++) {
                rows.add(new Object[] {i % 3 == 0 ? List.of(VOTE) : List.of(SYSTEM, BUDGET)});
            }
            for (int b = 0; b < 20; b++) {
                fill(in, schema, rows);
                VectorSchemaRoot out = s.map("classify", in);
                assertThat(out.getRowCount()).isEqualTo(1024);
                assertThat(ArrowValues.get(out.getVector(0), ColumnType.UTF8, 1023))
                        .isEqualTo("vote");
                assertThat(ArrowValues.get(out.getVector(0), ColumnType.UTF8, 1022))
                        .isEqualTo("system");
            }
            assertThat(s.batches()).isEqualTo(20);
            // 20 batches fit because the arena is reset per call: memory stays small
            assertThat(s.instance().memorySize()).isLessThan(4 * 1024 * 1024);
        }
    }

    @Test
    void priorityFeeFilterKeepsSuccessfulTransactionsAboveTheBaseFee() {
        WasmModule m = Corpus.load("c/priority_fee.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("paid_priority")) {
            fill(
                    in,
                    m.function("paid_priority").input(),
                    List.of(
                            new Object[] {5000L, 1, true}, // base fee only
                            new Object[] {5001L, 1, true},
                            new Object[] {80000L, 2, false}, // failed
                            new Object[] {80000L, 2, true},
                            new Object[] {null, 1, true},
                            new Object[] {10000L, 2, true})); // exactly 2 base fees
            assertThat(s.filter("paid_priority", in)).containsExactly(1, 3);
        }
    }

    @Test
    void feePerComputeUnitHandlesNulls() {
        WasmModule m = Corpus.load("c/priority_fee.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("fee_per_cu")) {
            fill(
                    in,
                    m.function("fee_per_cu").input(),
                    List.of(
                            new Object[] {15000L, 1, 200000L},
                            new Object[] {5000L, 1, 0L},
                            new Object[] {7000L, 1, null}));
            VectorSchemaRoot out = s.map("fee_per_cu", in);
            assertThat(column(out, 0, ColumnType.INT64)).containsExactly(10000L, 0L, 2000L);
            assertThat(column(out, 1, ColumnType.FLOAT64)).containsExactly(50000.0, null, null);
        }
    }

    @Test
    void sameInputGivesSameOutputBytesInAnotherInstance() {
        WasmModule m = Corpus.load("c/classify.wasm");
        byte[][] results = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (ModuleSession s = new ModuleSession(m, allocator);
                    VectorSchemaRoot in = s.newInput("classify")) {
                fill(
                        in,
                        m.function("classify").input(),
                        List.of(new Object[] {List.of(JUPITER)}, new Object[] {List.of(VOTE)}));
                VectorSchemaRoot out = s.map("classify", in);
                org.apache.arrow.vector.VarCharVector v =
                        (org.apache.arrow.vector.VarCharVector) out.getVector(0);
                results[i] = bytes(v);
            }
        }
        assertThat(results[0]).isEqualTo(results[1]);
        assertThat(new String(results[0], java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("dexvote");
    }

    @Test
    void rustVwapAggregateCreatesAddsMergesAndReports() {
        WasmModule m = Corpus.load("rust/vwap.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("vwap")) {
            BatchSchema schema = m.function("vwap").input();
            byte[] a = s.aggregateCreate("vwap");
            fill(in, schema, List.of(new Object[] {10.0, 1.0}, new Object[] {20.0, 3.0}));
            a = s.aggregateAdd("vwap", a, in);
            byte[] b = s.aggregateCreate("vwap");
            fill(
                    in,
                    schema,
                    List.of(
                            new Object[] {40.0, 4.0},
                            new Object[] {null, 5.0},
                            new Object[] {1000.0, 0.0}));
            b = s.aggregateAdd("vwap", b, in);
            byte[] merged = s.aggregateMerge("vwap", a, b);
            VectorSchemaRoot out = s.aggregateResult("vwap", merged);
            assertThat(out.getRowCount()).isEqualTo(1);
            // (10*1 + 20*3 + 40*4) / 8 = 28.75
            assertThat(column(out, 0, ColumnType.FLOAT64)).containsExactly(28.75);
            assertThat(column(out, 1, ColumnType.FLOAT64)).containsExactly(8.0);
            assertThat(column(out, 2, ColumnType.INT64)).containsExactly(3L);
            assertThat(column(out, 3, ColumnType.FLOAT64)).containsExactly(10.0);
            assertThat(column(out, 4, ColumnType.FLOAT64)).containsExactly(40.0);
            VectorSchemaRoot empty = s.aggregateResult("vwap", s.aggregateCreate("vwap"));
            assertThat(column(empty, 0, ColumnType.FLOAT64)).containsExactly((Object) null);
            assertThat(column(empty, 2, ColumnType.INT64)).containsExactly(0L);
            // without _restore/_snapshot exports both are the identity
            assertThat(s.aggregateRestore("vwap", merged)).isEqualTo(merged);
        }
    }

    @Test
    void aStateOfTheWrongSizeIsAnErrorCode() {
        WasmModule m = Corpus.load("rust/vwap.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> s.aggregateResult("vwap", new byte[] {1, 2, 3}))
                    .isInstanceOf(WasmTrapException.class)
                    .hasMessage(
                            "module 'vwap' ("
                                    + m.cid()
                                    + ") function 'vwap_result' batch 0 returned error -3"
                                    + " IPDM_ERR_STATE (the module could not read its aggregate state)");
        }
    }

    @Test
    void assemblyScriptFlatMapExplodesInvocationsAcrossBatches() {
        WasmModule m = Corpus.load("assemblyscript/invocations.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("invocations")) {
            BatchSchema schema = m.function("invocations").input();
            // several batches: the module's global skip list must survive the arena resets
            for (int b = 0; b < 5; b++) {
                fill(
                        in,
                        schema,
                        List.of(
                                new Object[] {"s1", List.of(BUDGET, JUPITER, TOKEN)},
                                new Object[] {"s2", List.of(VOTE)},
                                new Object[] {"s3", null},
                                new Object[] {"s4", List.of(SYSTEM)}));
                VectorSchemaRoot out = s.map("invocations", in);
                assertThat(column(out, 0, ColumnType.UTF8)).containsExactly("s1", "s1", "s4");
                assertThat(column(out, 1, ColumnType.UTF8)).containsExactly(JUPITER, TOKEN, SYSTEM);
                assertThat(column(out, 2, ColumnType.INT32)).containsExactly(1, 2, 0);
            }
            fill(in, schema, List.<Object[]>of(new Object[] {"v", List.of(VOTE)}));
            assertThat(s.map("invocations", in).getRowCount()).isZero();
        }
    }

    private static byte[] bytes(org.apache.arrow.vector.VarCharVector v) {
        int end = v.getOffsetBuffer().getInt(4L * v.getValueCount());
        byte[] b = new byte[end];
        v.getDataBuffer().getBytes(0, b);
        return Arrays.copyOf(b, end);
    }
}
