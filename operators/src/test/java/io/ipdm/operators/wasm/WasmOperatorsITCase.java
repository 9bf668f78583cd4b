package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WASM map, filter and flatMap stages on a MiniCluster, with both failure policies. */
class WasmOperatorsITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final String VOTE = "Vote111111111111111111111111111111111111111";
    static final String JUPITER = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
    static final String TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    static final String SYSTEM = "11111111111111111111111111111111";

    static final RowTypeInfo TXS =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.STRING, Types.LIST(Types.STRING), Types.LONG, Types.INT, Types.BOOLEAN
                    },
                    new String[] {"signature", "program_ids", "fee", "signatures", "success"});

    static List<Row> transactions(int n) {
        List<String>[] programs =
                new List[] {
                    List.of(VOTE),
                    List.of(JUPITER, TOKEN),
                    List.of(TOKEN),
                    List.of(SYSTEM),
                    List.of()
                };
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(
                    Row.of(
                            "sig" + i,
                            programs[i % 5],
                            5000L + (i % 7) * 1000L,
                            1 + i % 2,
                            i % 11 != 0));
        }
        return rows;
    }

    static List<Row> collect(DataStream<Row> s) throws Exception {
        List<Row> out = new ArrayList<>();
        try (CloseableIterator<Row> it = s.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static StreamExecutionEnvironment env(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        return env;
    }

    @Test
    void mapAppendsTheModulesColumns() throws Exception {
        List<Row> txs = transactions(1000);
        WasmStage stage =
                WasmStage.of(TestModules.load("c/classify.wasm"), "classify")
                        .withBatching(128, Duration.ofMillis(50));
        StreamExecutionEnvironment env = env(2);
        WasmOperators.Result r =
                WasmOperators.apply(env.fromData(txs, TXS), TXS, stage, "classify");
        assertThat(r.outType().getFieldNames())
                .containsExactly(
                        "signature", "program_ids", "fee", "signatures", "success", "family");
        assertThat(r.outType().getTypeAt(5)).isEqualTo(Types.STRING);
        List<String> got =
                collect(r.out()).stream()
                        .map(row -> row.getField(0) + "=" + row.getField(5))
                        .sorted()
                        .toList();
        List<String> expected =
                txs.stream()
                        .map(
                                row ->
                                        row.getField(0)
                                                + "="
                                                + javaClassify((List<String>) row.getField(1)))
                        .sorted()
                        .toList();
        assertThat(got).isEqualTo(expected);
    }

    /** The same rule in Java: the results must match. */
    static String javaClassify(List<String> programs) {
        if (programs.contains(VOTE)) {
            return "vote";
        }
        if (programs.contains(JUPITER)) {
            return "dex";
        }
        if (programs.contains(TOKEN)) {
            return "token";
        }
        return programs.contains(SYSTEM) ? "system" : "other";
    }

    @Test
    void filterKeepsTheSelectedRows() throws Exception {
        List<Row> txs = transactions(500);
        WasmStage stage =
                WasmStage.of(TestModules.load("c/priority_fee.wasm"), "paid_priority")
                        .withBatching(100, Duration.ofMillis(50));
        StreamExecutionEnvironment env = env(1);
        WasmOperators.Result r = WasmOperators.apply(env.fromData(txs, TXS), TXS, stage, "prio");
        assertThat(r.outType()).isEqualTo(TXS);
        List<String> got =
                collect(r.out()).stream().map(row -> (String) row.getField(0)).sorted().toList();
        List<String> expected =
                txs.stream()
                        .filter(
                                row ->
                                        (Boolean) row.getField(4)
                                                && (Long) row.getField(2)
                                                        > 5000L * (Integer) row.getField(3))
                        .map(row -> (String) row.getField(0))
                        .sorted()
                        .toList();
        assertThat(got).isEqualTo(expected).isNotEmpty();
    }

    static final RowTypeInfo XS =
            new RowTypeInfo(new TypeInformation<?>[] {Types.LONG}, new String[] {"x"});

    @Test
    void failedBatchesGoToTheDeadLetterOutput() throws Exception {
        List<Row> xs = new ArrayList<>();
        for (long i = 1; i <= 30; i++) {
            xs.add(Row.of(i == 15 ? 0L : i)); // the batch holding 15 traps (1000 / 0)
        }
        WasmStage stage =
                WasmStage.of(TestModules.load("hostile/trap.wasm"), "run")
                        .withBatching(10, Duration.ofSeconds(10))
                        .withFailurePolicy(FailurePolicy.DEAD_LETTER);
        StreamExecutionEnvironment env = env(1);
        WasmOperators.Result r = WasmOperators.apply(env.fromData(xs, XS), XS, stage, "trap");
        assertThat(r.deadLetterType().getFieldNames()).containsExactly("x", "wasm_error");
        DataStream<Row> both =
                r.out()
                        .map(row -> Row.of("ok", row.getField(0), row.getField(1)))
                        .returns(Types.ROW(Types.STRING, Types.LONG, Types.LONG))
                        .union(
                                r.deadLetters()
                                        .map(row -> Row.of("dead", row.getField(0), -1L))
                                        .returns(Types.ROW(Types.STRING, Types.LONG, Types.LONG)));
        List<Row> rows = collect(both);
        assertThat(
                        rows.stream()
                                .filter(x -> x.getField(0).equals("dead"))
                                .map(x -> (Long) x.getField(1))
                                .sorted())
                .containsExactly(0L, 11L, 12L, 13L, 14L, 16L, 17L, 18L, 19L, 20L);
        assertThat(rows.stream().filter(x -> x.getField(0).equals("ok")).count()).isEqualTo(20);
        assertThat(rows).contains(Row.of("ok", 8L, 125L));
    }

    @Test
    void failJobPolicyFailsTheJobNamingModuleAndBatch() {
        List<Row> xs = List.of(Row.of(1L), Row.of(0L));
        WasmStage stage = WasmStage.of(TestModules.load("hostile/trap.wasm"), "run");
        StreamExecutionEnvironment env = env(1);
        WasmOperators.Result r = WasmOperators.apply(env.fromData(xs, XS), XS, stage, "trap");
        assertThatThrownBy(() -> collect(r.out()))
                .hasStackTraceContaining(
                        "WASM stage failed (failure policy: fail the job): module 'trap' (")
                .hasStackTraceContaining("function 'run' batch 0 trapped: integer divide by zero");
    }

    @Test
    void inputColumnsAreCheckedWhenTheJobIsBuilt() {
        WasmStage stage = WasmStage.of(TestModules.load("c/classify.wasm"), "classify");
        assertThatThrownBy(() -> WasmOperators.outputType(XS, stage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "module 'classify' function 'classify' reads column 'program_ids'"
                                + " (list<utf8>) but the input rows have no such field; fields: [x]");
        RowTypeInfo wrong =
                new RowTypeInfo(
                        new TypeInformation<?>[] {Types.LONG}, new String[] {"program_ids"});
        assertThatThrownBy(() -> WasmOperators.outputType(wrong, stage))
                .hasMessage(
                        "module 'classify' function 'classify' reads column 'program_ids' as"
                                + " list<utf8> but the input field has type Long; a list<utf8> column"
                                + " takes List<String>");
    }
}
