package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.SeededRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sdk_kinds module, written once per SDK (C, Rust, AssemblyScript): every ABI v1 type read and
 * written with nulls (map echo), and a filter, a flatmap and an aggregate. A helper of any SDK that
 * does not compile breaks the corpus build (CorpusTest); one that writes wrong bytes fails here.
 */
class SdkKindsTest {
    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown() {
        allocator.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust", "assemblyscript"})
    void echoReadsAndWritesEveryTypeWithNulls(String lang) {
        WasmModule m = Corpus.load(lang + "/sdk_kinds.wasm");
        BatchSchema schema = m.function("echo").input();
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("echo")) {
            for (int rows : new int[] {1, 300, 17}) {
                List<Object[]> data = SeededRows.generate(schema, rows, rows);
                ModuleSessionTest.fill(in, schema, data);
                VectorSchemaRoot out = s.map("echo", in);
                assertThat(out.getRowCount()).isEqualTo(rows);
                for (int c = 0; c < schema.size(); c++) {
                    List<Object> expected = new ArrayList<>();
                    for (Object[] row : data) {
                        expected.add(comparable(row[c]));
                    }
                    List<Object> actual =
                            ModuleSessionTest.column(out, c, schema.column(c).type()).stream()
                                    .map(SdkKindsTest::comparable)
                                    .toList();
                    assertThat(actual).as(lang + " column " + schema.column(c)).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust", "assemblyscript"})
    void keepFiltersOnABoolColumn(String lang) {
        WasmModule m = Corpus.load(lang + "/sdk_kinds.wasm");
        BatchSchema schema = m.function("keep").input();
        List<Object[]> data = SeededRows.generate(schema, 100, 7);
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("keep")) {
            ModuleSessionTest.fill(in, schema, data);
            List<Integer> expected = new ArrayList<>();
            for (int r = 0; r < data.size(); r++) {
                if (Boolean.TRUE.equals(data.get(r)[0])) {
                    expected.add(r);
                }
            }
            assertThat(Arrays.stream(s.filter("keep", in)).boxed().toList()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust", "assemblyscript"})
    void explodeMakesOneRowPerListItem(String lang) {
        WasmModule m = Corpus.load(lang + "/sdk_kinds.wasm");
        BatchSchema schema = m.function("explode").input();
        List<Object[]> data = SeededRows.generate(schema, 200, 11);
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("explode")) {
            ModuleSessionTest.fill(in, schema, data);
            List<List<Object>> expected = new ArrayList<>();
            for (Object[] row : data) {
                if (row[1] instanceof List<?> tags) {
                    for (int i = 0; i < tags.size(); i++) {
                        expected.add(Arrays.asList(row[0], tags.get(i), i, i == tags.size() - 1));
                    }
                }
            }
            VectorSchemaRoot out = s.map("explode", in);
            BatchSchema os = m.function("explode").output();
            List<List<Object>> actual = new ArrayList<>();
            for (int r = 0; r < out.getRowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < os.size(); c++) {
                    row.add(ArrowValues.get(out.getVector(c), os.column(c).type(), r));
                }
                actual.add(row);
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust", "assemblyscript"})
    void totalAddsMergesAndResults(String lang) {
        WasmModule m = Corpus.load(lang + "/sdk_kinds.wasm");
        BatchSchema schema = m.function("total").input();
        try (ModuleSession s = new ModuleSession(m, allocator);
                VectorSchemaRoot in = s.newInput("total")) {
            long count = 0;
            long sum = 0;
            double[] fsums = new double[2];
            byte[][] states = new byte[2][];
            for (int part = 0; part < 2; part++) {
                List<Object[]> data = SeededRows.generate(schema, 150, 100 + part);
                ModuleSessionTest.fill(in, schema, data);
                states[part] = s.aggregateAdd("total", s.aggregateCreate("total"), in);
                for (Object[] row : data) {
                    if (row[0] != null) {
                        count++;
                        sum += (Long) row[0];
                    }
                    if (row[1] != null) {
                        fsums[part] += (Double) row[1];
                    }
                }
            }
            byte[] merged = s.aggregateMerge("total", states[0], states[1]);
            VectorSchemaRoot out = s.aggregateResult("total", merged);
            assertThat(out.getRowCount()).isEqualTo(1);
            assertThat(
                            ModuleSessionTest.column(
                                    out, 0, m.function("total").output().column(0).type()))
                    .containsExactly(count);
            assertThat(
                            ModuleSessionTest.column(
                                    out, 1, m.function("total").output().column(1).type()))
                    .containsExactly(sum);
            assertThat(
                            ModuleSessionTest.column(
                                    out, 2, m.function("total").output().column(2).type()))
                    .containsExactly(fsums[0] + fsums[1]);
        }
    }

    private static Object comparable(Object v) {
        return v instanceof byte[] b ? HexFormat.of().formatHex(b) : v;
    }
}
