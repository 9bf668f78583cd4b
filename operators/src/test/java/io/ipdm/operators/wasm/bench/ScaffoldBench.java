package io.ipdm.operators.wasm.bench;

import io.ipdm.operators.wasm.WasmOperators;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.WasmRuntime;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import io.ipdm.wasm.abi.SeededRows;
import io.ipdm.wasm.sdk.Language;
import io.ipdm.wasm.sdk.ModuleBuild;
import io.ipdm.wasm.sdk.Scaffold;
import io.ipdm.wasm.sdk.SdkHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

/**
 * The scaffold benchmarks of docs/BENCHMARKS.md: (f) size and first-call latency of the modules
 * {@code ipdm wasm init} + {@code ipdm wasm build} make, per language and kind, over the bench's
 * four transaction columns; (g) the Flink filter + map job of WasmBench (a) with a module written
 * against the generated accessors vs the hand-written corpus module {@code c/priority_fee}, same
 * logic, same compiler. Run with operators/scaffold-bench.sh.
 */
public final class ScaffoldBench {
    private ScaffoldBench() {}

    static final BatchSchema TXS =
            BatchSchema.of(
                    new Column("fee", ColumnType.INT64, true),
                    new Column("signatures", ColumnType.INT32, true),
                    new Column("success", ColumnType.BOOL, true),
                    new Column("compute_units", ColumnType.INT64, true));

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "wasm-udf/corpus");
        System.out.println("runtime: " + WasmRuntime.runtimeName());
        SdkHome sdk = new SdkHome(corpus.resolve("../sdk").toAbsolutePath().normalize());
        Path tmp = Files.createTempDirectory("ipdm-scaffold-bench");
        ModuleBuild build = new ModuleBuild(sdk);
        System.out.println(
                "(f) scaffolded modules: language, kind, size, first call (load + instance + 4096 rows)");
        for (Language lang : Language.values()) {
            for (FunctionKind kind : FunctionKind.values()) {
                String name = "s_" + kind.abiName();
                Path dir = tmp.resolve(lang.cliName() + "_" + name);
                new Scaffold(name, lang, kind, TXS, "the bench columns").write(dir, sdk);
                ModuleBuild.Result r = build.build(dir);
                long t = System.nanoTime();
                firstCall(WasmModule.load(r.wasm(), limits()), name, kind);
                double ms = (System.nanoTime() - t) / 1e6;
                System.out.printf(
                        "  %s %s: %,d bytes, first call %.1f ms%n",
                        lang.cliName(), kind.abiName(), r.size(), ms);
            }
        }
        WasmModule hand = WasmModule.load(corpus.resolve("c/priority_fee.wasm"), limits());
        WasmModule[] gen = generated(tmp, build);
        long n = 2_000_000;
        for (int round = 1; round <= 2; round++) {
            double a = job(n, hand, "paid_priority", hand, "fee_per_cu");
            double b = job(n, gen[0], "gen_filter", gen[1], "gen_map");
            System.out.printf(
                    "(g) round %d, Flink filter+map, %,d rows, 4096-row batches: hand-written %,.0f rows/s,"
                            + " generated accessors %,.0f rows/s (%.2fx)%n",
                    round, n, a, b, b / a);
        }
    }

    static SandboxLimits limits() {
        return SandboxLimits.DEFAULT.withCallTimeout(Duration.ofMinutes(10));
    }

    static void firstCall(WasmModule m, String fn, FunctionKind kind) {
        FunctionSpec f = m.function(fn);
        List<Object[]> rows = SeededRows.generate(f.input(), 4096, 1);
        try (RootAllocator a = new RootAllocator();
                ModuleSession s = new ModuleSession(m, a);
                VectorSchemaRoot in = s.newInput(fn)) {
            in.allocateNew();
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < f.input().size(); c++) {
                    ArrowValues.set(in.getVector(c), f.input().column(c).type(), r, rows.get(r)[c]);
                }
            }
            in.setRowCount(rows.size());
            switch (kind) {
                case FILTER -> s.filter(fn, in);
                case AGGREGATE ->
                        s.aggregateResult(fn, s.aggregateAdd(fn, s.aggregateCreate(fn), in));
                default -> s.map(fn, in);
            }
        }
    }

    /** priority_fee's filter and map, written against the accessors build generates. */
    static WasmModule[] generated(Path tmp, ModuleBuild build) throws Exception {
        Path f = Files.createDirectories(tmp.resolve("gen_filter"));
        Files.writeString(
                f.resolve("gen_filter.abi.json"),
                """
                {"abi": 1, "functions": [{"name": "gen_filter", "kind": "filter",
                  "input": [{"name": "fee", "type": "int64"}, {"name": "signatures", "type": "int32"},
                            {"name": "success", "type": "bool"}]}]}
                """);
        Files.writeString(
                f.resolve("gen_filter.c"),
                """
                #include "schema.h"
                IPDM_EXPORT(gen_filter) int32_t gen_filter(const ArrowArray *in) {
                    int32_t n = input_rows(in);
                    uint8_t *keep = ipdm_selection_new(in);
                    for (int32_t r = 0; r < n; r++) {
                        if (input_fee_is_null(in, r) || input_signatures_is_null(in, r)
                            || input_success_is_null(in, r)) continue;
                        if (input_success(in, r)
                            && input_fee(in, r) > (int64_t)input_signatures(in, r) * 5000) {
                            ipdm_select(keep, r);
                        }
                    }
                    return ipdm_selection_finish(keep);
                }
                """);
        Path m = Files.createDirectories(tmp.resolve("gen_map"));
        Files.writeString(
                m.resolve("gen_map.abi.json"),
                """
                {"abi": 1, "functions": [{"name": "gen_map", "kind": "map",
                  "input": [{"name": "fee", "type": "int64"}, {"name": "signatures", "type": "int32"},
                            {"name": "compute_units", "type": "int64"}],
                  "output": [{"name": "priority_fee", "type": "int64", "nullable": false},
                             {"name": "micro_lamports_per_cu", "type": "float64"}]}]}
                """);
        Files.writeString(
                m.resolve("gen_map.c"),
                """
                #include "schema.h"
                IPDM_EXPORT(gen_map) int32_t gen_map(const ArrowArray *in) {
                    int32_t n = input_rows(in);
                    output o = output_new(n);
                    for (int32_t r = 0; r < n; r++) {
                        int64_t p = input_fee(in, r) - (int64_t)input_signatures(in, r) * 5000;
                        if (p < 0) p = 0;
                        output_set_priority_fee(&o, r, p);
                        if (input_compute_units_is_null(in, r) || input_compute_units(in, r) <= 0) {
                            output_set_micro_lamports_per_cu_null(&o, r);
                        } else {
                            output_set_micro_lamports_per_cu(
                                &o, r, (double)p * 1e6 / (double)input_compute_units(in, r));
                        }
                    }
                    return output_finish(&o, n);
                }
                """);
        return new WasmModule[] {
            WasmModule.load(build.build(f).wasm(), limits()),
            WasmModule.load(build.build(m).wasm(), limits())
        };
    }

    static double job(long n, WasmModule fm, String filter, WasmModule mm, String map)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Row> in = env.fromSequence(0, n - 1).map(WasmBench::tx).returns(WasmBench.TXS);
        WasmStage fs =
                WasmStage.of(fm, filter).withBatching(WasmBench.BATCH, Duration.ofMillis(200));
        WasmStage ms = WasmStage.of(mm, map).withBatching(WasmBench.BATCH, Duration.ofMillis(200));
        WasmOperators.Result f = WasmOperators.apply(in, WasmBench.TXS, fs, "bench-filter");
        DataStream<Row> out = WasmOperators.apply(f.out(), f.outType(), ms, "bench-map").out();
        out.sinkTo(new DiscardingSink<>());
        long t = System.nanoTime();
        env.execute("scaffold bench");
        return n / ((System.nanoTime() - t) / 1e9);
    }
}
