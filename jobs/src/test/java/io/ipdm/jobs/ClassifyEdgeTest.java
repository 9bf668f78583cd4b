package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.expr.RowExpression;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.ColumnType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * Edge inputs no source produces (a null or empty program list): the classify module and the CEL
 * expression of its built-in twin (src/test/resources/solana-dex-volume-builtin.yaml) give the same
 * family for each, null for a null list.
 */
class ClassifyEdgeTest {
    static final SolanaTable TX = SolanaTable.TRANSACTIONS;

    static final List<String[]> PROGRAMS =
            Arrays.asList(
                    null,
                    new String[0],
                    new String[] {"11111111111111111111111111111111"},
                    new String[] {"unknown", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"},
                    new String[] {
                        "ComputeBudget111111111111111111111111111111",
                        "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"
                    },
                    new String[] {"Vote111111111111111111111111111111111111111"},
                    new String[] {"other program"});

    static String celFamily() {
        PipelineLoader.Loaded twin =
                PipelineLoader.load(
                        Path.of("src/test/resources/solana-dex-volume-builtin.yaml"),
                        List.of(),
                        Map.of());
        for (StageSpec s : twin.spec().stages()) {
            if (s instanceof StageSpec.Project p && p.id().equals("classified")) {
                for (StageSpec.Projection c : p.select()) {
                    if (c.name().equals("family")) {
                        return c.expr();
                    }
                }
            }
        }
        throw new IllegalStateException("the twin has no classified.family projection");
    }

    @Test
    void moduleAndCelTwinAgreeOnEdgeProgramLists() {
        RowExpression cel = RowExpression.compile(celFamily(), TX.rowType());
        WasmModule m =
                WasmModule.load(
                        Path.of("../wasm-udf/corpus/c/classify.wasm"),
                        SandboxLimits.DEFAULT.withCallTimeout(Duration.ofSeconds(120)));
        List<Object> expected = new ArrayList<>();
        try (RootAllocator a = new RootAllocator();
                ModuleSession s = new ModuleSession(m, a);
                VectorSchemaRoot in = s.newInput("classify")) {
            for (int i = 0; i < PROGRAMS.size(); i++) {
                String[] p = PROGRAMS.get(i);
                Row r = new Row(TX.arity());
                r.setField(TX.indexOf("program_ids"), p);
                expected.add(cel.evaluate(r));
                ArrowValues.set(
                        in.getVector(0),
                        ColumnType.LIST_UTF8,
                        i,
                        p == null ? null : Arrays.asList(p));
            }
            in.setRowCount(PROGRAMS.size());
            VectorSchemaRoot out = s.map("classify", in);
            List<Object> actual = new ArrayList<>();
            for (int i = 0; i < PROGRAMS.size(); i++) {
                actual.add(ArrowValues.get(out.getVector(0), ColumnType.UTF8, i));
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(expected).contains(null, "vote", "dex", "token", "system", "other");
        }
    }
}
