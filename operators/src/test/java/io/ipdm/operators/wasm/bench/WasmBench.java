package io.ipdm.operators.wasm.bench;

import io.ipdm.operators.wasm.RowColumns;
import io.ipdm.operators.wasm.WasmOperators;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmInstance;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.WasmRuntime;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchReader;
import io.ipdm.wasm.abi.BatchWriter;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

/**
 * The WebAssembly benchmarks of docs/BENCHMARKS.md, each side by side in one run: (a) WASM filter +
 * map in a Flink job vs the same logic as Java operators, (b) the batch ABI vs one call per record,
 * (c) optimized vs interpreted GraalWasm (a child JVM without the JVMCI flags), (d) the copy cost
 * share of a batch call, (e) Row <-> Arrow conversion per value vs by typed columns. Run with
 * operators/wasm-bench.sh.
 */
public final class WasmBench {
    static final long BASE_FEE = 5000;
    static final int BATCH = 4096;

    static final RowTypeInfo TXS =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.LONG, Types.INT, Types.BOOLEAN, Types.LONG},
                    new String[] {"fee", "signatures", "success", "compute_units"});

    private WasmBench() {}

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "wasm-udf/corpus");
        boolean child = args.length > 1 && args[1].equals("--calls-only");
        WasmModule m =
                WasmModule.load(
                        corpus.resolve("c/priority_fee.wasm"),
                        SandboxLimits.DEFAULT.withCallTimeout(Duration.ofMinutes(10)));
        if (child) {
            System.out.println("RESULT " + batchCalls(m, 5, 30)[0]);
            return;
        }
        System.out.println("runtime: " + WasmRuntime.runtimeName());
        flinkJobs(m, 2_000_000);
        perRecord(m);
        interpretedVsOptimized(m, corpus);
        copyShare(m);
        conversion();
    }

    static Row tx(long i) {
        long sigs = 1 + (i % 3 == 0 ? 1 : 0);
        return Row.of(
                BASE_FEE * sigs + (i % 5) * 2500,
                (int) sigs,
                i % 17 != 0,
                50_000 + (i % 200) * 1000);
    }

    // ---- (a) Flink job
    // ---------------------------------------------------------------------------

    static void flinkJobs(WasmModule m, long n) throws Exception {
        double[] java = new double[2];
        double[] wasm = new double[2];
        for (int round = 0; round < 2; round++) {
            java[round] = job(n, false, m);
            wasm[round] = job(n, true, m);
        }
        System.out.printf(
                "(a) Flink filter+map, %d rows, 4096-row batches: Java %.0f rows/s, WASM %.0f rows/s,"
                        + " WASM/Java %.2fx (warm round; first round %.0f vs %.0f)%n",
                n, java[1], wasm[1], wasm[1] / java[1], java[0], wasm[0]);
    }

    static double job(long n, boolean wasm, WasmModule m) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Row> in = env.fromSequence(0, n - 1).map(WasmBench::tx).returns(TXS);
        DataStream<Row> out;
        if (wasm) {
            WasmStage filter =
                    WasmStage.of(m, "paid_priority").withBatching(BATCH, Duration.ofMillis(200));
            WasmStage map =
                    WasmStage.of(m, "fee_per_cu").withBatching(BATCH, Duration.ofMillis(200));
            WasmOperators.Result f = WasmOperators.apply(in, TXS, filter, "bench-filter");
            out = WasmOperators.apply(f.out(), f.outType(), map, "bench-map").out();
        } else {
            RowTypeInfo outType =
                    new RowTypeInfo(
                            new TypeInformation<?>[] {
                                Types.LONG,
                                Types.INT,
                                Types.BOOLEAN,
                                Types.LONG,
                                Types.LONG,
                                Types.DOUBLE
                            },
                            new String[] {
                                "fee",
                                "signatures",
                                "success",
                                "compute_units",
                                "priority_fee",
                                "micro_lamports_per_cu"
                            });
            out = in.filter(WasmBench::javaFilter).map(WasmBench::javaMap).returns(outType);
        }
        out.sinkTo(new DiscardingSink<>());
        long t = System.nanoTime();
        env.execute(wasm ? "wasm bench" : "java bench");
        return n / ((System.nanoTime() - t) / 1e9);
    }

    static boolean javaFilter(Row r) {
        Long fee = (Long) r.getField(0);
        Integer sigs = (Integer) r.getField(1);
        Boolean ok = (Boolean) r.getField(2);
        return fee != null && sigs != null && ok != null && ok && fee > sigs * BASE_FEE;
    }

    static Row javaMap(Row r) {
        long fee = (Long) r.getField(0);
        int sigs = (Integer) r.getField(1);
        Long cu = (Long) r.getField(3);
        long prio = Math.max(0, fee - sigs * BASE_FEE);
        Double perCu = cu == null || cu <= 0 ? null : prio * 1e6 / cu;
        Row o = Row.withPositions(6);
        for (int i = 0; i < 4; i++) {
            o.setField(i, r.getField(i));
        }
        o.setField(4, prio);
        o.setField(5, perCu);
        return o;
    }

    // ---- (b) batch vs per record
    // -----------------------------------------------------------------

    static void perRecord(WasmModule m) {
        double batch = Math.max(batchCalls(m, 5, 300)[0], batchCalls(m, 1, 300)[0]);
        double single;
        try (RootAllocator a = new RootAllocator();
                ModuleSession s = new ModuleSession(m, a);
                VectorSchemaRoot one = s.newInput("fee_per_cu")) {
            FunctionSpec f = m.function("fee_per_cu");
            fill(one, f, 0, 1);
            for (int i = 0; i < 200_000; i++) { // warm-up
                s.map("fee_per_cu", one);
            }
            int n = 400_000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                s.map("fee_per_cu", one);
            }
            single = n / ((System.nanoTime() - t) / 1e9);
        }
        System.out.printf(
                "(b) fee_per_cu map: 4096-row batches %.0f rows/s, one call per record %.0f rows/s,"
                        + " batch/per-record %.1fx%n",
                batch, single, batch / single);
    }

    /** Rows/s of map calls on 4096-row batches, after warm-up; and the copy share (d). */
    static double[] batchCalls(WasmModule m, int warmupSeconds, int batches) {
        try (RootAllocator a = new RootAllocator();
                ModuleSession s = new ModuleSession(m, a);
                VectorSchemaRoot in = s.newInput("fee_per_cu")) {
            fill(in, m.function("fee_per_cu"), 0, BATCH);
            long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                s.map("fee_per_cu", in);
            }
            long t = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                s.map("fee_per_cu", in);
            }
            return new double[] {(double) batches * BATCH / ((System.nanoTime() - t) / 1e9)};
        }
    }

    static void fill(VectorSchemaRoot root, FunctionSpec f, long from, int n) {
        root.allocateNew();
        for (int i = 0; i < n; i++) {
            Row r = tx(from + i);
            ArrowValues.set(root.getVector(0), ColumnType.INT64, i, r.getField(0));
            ArrowValues.set(root.getVector(1), ColumnType.INT32, i, r.getField(1));
            ArrowValues.set(root.getVector(2), ColumnType.INT64, i, r.getField(3));
        }
        root.setRowCount(n);
    }

    // ---- (c) optimized vs interpreted
    // ------------------------------------------------------------

    static void interpretedVsOptimized(WasmModule m, Path corpus) throws Exception {
        double optimized = Math.max(batchCalls(m, 5, 300)[0], batchCalls(m, 1, 300)[0]);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.contains("JVMCI")
                    && !arg.startsWith("--upgrade-module-path")
                    && !arg.equals("-XX:+UnlockExperimentalVMOptions")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        WasmBench.class.getName(),
                        corpus.toString(),
                        "--calls-only"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double interpreted = Double.NaN;
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    interpreted = Double.parseDouble(line.substring(7));
                }
            }
        }
        p.waitFor();
        System.out.printf(
                "(c) fee_per_cu on 4096-row batches: optimized %.0f rows/s, interpreted %.0f rows/s,"
                        + " optimized/interpreted %.0fx%n",
                optimized, interpreted, optimized / interpreted);
    }

    // ---- (d) copy share
    // --------------------------------------------------------------------------

    static void copyShare(WasmModule m) {
        FunctionSpec f = m.function("fee_per_cu");
        try (RootAllocator a = new RootAllocator();
                WasmInstance inst = new WasmInstance(m);
                VectorSchemaRoot in = io.ipdm.wasm.abi.ArrowBatches.createRoot(f.input(), a);
                VectorSchemaRoot out = io.ipdm.wasm.abi.ArrowBatches.createRoot(f.output(), a)) {
            fill(in, f, 0, BATCH);
            BatchWriter w = new BatchWriter();
            BatchReader r = new BatchReader();
            long copyIn = 0;
            long call = 0;
            long copyOut = 0;
            int rounds = 3000;
            for (int i = 0; i < rounds * 2; i++) {
                final boolean measure = i >= rounds;
                long[] t = new long[4];
                inst.budgeted(
                        "fee_per_cu",
                        i,
                        () -> {
                            t[0] = System.nanoTime();
                            inst.resetArena();
                            int p = w.write(inst, f.input(), in);
                            t[1] = System.nanoTime();
                            int o = inst.call("fee_per_cu", p);
                            t[2] = System.nanoTime();
                            r.read(inst, o, f.output(), out);
                            t[3] = System.nanoTime();
                            return null;
                        });
                if (measure) {
                    copyIn += t[1] - t[0];
                    call += t[2] - t[1];
                    copyOut += t[3] - t[2];
                }
            }
            long total = copyIn + call + copyOut;
            System.out.printf(
                    "(d) per 4096-row batch: copy in %.1f us, guest call %.1f us, copy out %.1f us;"
                            + " copies are %.0f%% of the call%n",
                    copyIn / 1e3 / rounds,
                    call / 1e3 / rounds,
                    copyOut / 1e3 / rounds,
                    100.0 * (copyIn + copyOut) / total);
        }
    }

    // ---- (e) Row <-> Arrow conversion
    // ------------------------------------------------------------

    /** Rows as the classify and priority_fee stages see them: fee, signatures, cu, programs. */
    static Row[] conversionRows() {
        String[] programs = {
            "ComputeBudget111111111111111111111111111111",
            "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",
            "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        };
        Row[] rows = new Row[BATCH];
        for (int i = 0; i < BATCH; i++) {
            Row t = tx(i);
            rows[i] =
                    Row.of(
                            t.getField(0),
                            t.getField(1),
                            t.getField(3),
                            java.util.Arrays.copyOf(programs, 1 + i % 3),
                            null,
                            null,
                            null);
        }
        return rows;
    }

    static final ColumnType[] IN_TYPES = {
        ColumnType.INT64, ColumnType.INT32, ColumnType.INT64, ColumnType.LIST_UTF8
    };
    static final ColumnType[] OUT_TYPES = {ColumnType.INT64, ColumnType.FLOAT64, ColumnType.UTF8};

    /** One batch in and out: per value through ArrowValues (before) or RowColumns (after). */
    static void convert(boolean typed, Row[] rows, VectorSchemaRoot in, VectorSchemaRoot out) {
        for (int c = 0; c < IN_TYPES.length; c++) {
            org.apache.arrow.vector.FieldVector v = in.getVector(c);
            v.reset();
            if (typed) {
                RowColumns.write(IN_TYPES[c], rows, rows.length, c, v);
            } else {
                for (int i = 0; i < rows.length; i++) {
                    Object o = rows[i].getField(c);
                    ArrowValues.set(v, IN_TYPES[c], i, o instanceof String[] a ? List.of(a) : o);
                }
            }
        }
        in.setRowCount(rows.length);
        for (int c = 0; c < OUT_TYPES.length; c++) {
            if (typed) {
                RowColumns.read(OUT_TYPES[c], out.getVector(c), rows.length, rows, 4 + c);
            } else {
                for (int i = 0; i < rows.length; i++) {
                    rows[i].setField(4 + c, ArrowValues.get(out.getVector(c), OUT_TYPES[c], i));
                }
            }
        }
    }

    static void conversion() {
        io.ipdm.wasm.abi.BatchSchema inSchema =
                io.ipdm.wasm.abi.BatchSchema.of(
                        new io.ipdm.wasm.abi.Column("fee", ColumnType.INT64, true),
                        new io.ipdm.wasm.abi.Column("signatures", ColumnType.INT32, true),
                        new io.ipdm.wasm.abi.Column("compute_units", ColumnType.INT64, true),
                        new io.ipdm.wasm.abi.Column("program_ids", ColumnType.LIST_UTF8, true));
        io.ipdm.wasm.abi.BatchSchema outSchema =
                io.ipdm.wasm.abi.BatchSchema.of(
                        new io.ipdm.wasm.abi.Column("priority_fee", ColumnType.INT64, true),
                        new io.ipdm.wasm.abi.Column("per_cu", ColumnType.FLOAT64, true),
                        new io.ipdm.wasm.abi.Column("family", ColumnType.UTF8, true));
        try (RootAllocator a = new RootAllocator();
                VectorSchemaRoot in = io.ipdm.wasm.abi.ArrowBatches.createRoot(inSchema, a);
                VectorSchemaRoot out = io.ipdm.wasm.abi.ArrowBatches.createRoot(outSchema, a)) {
            Row[] rows = conversionRows();
            // an output batch as a module returns it (family "dex" / "token", some nulls)
            for (int i = 0; i < BATCH; i++) {
                ArrowValues.set(out.getVector(0), ColumnType.INT64, i, (long) i);
                ArrowValues.set(
                        out.getVector(1), ColumnType.FLOAT64, i, i % 7 == 0 ? null : i * 0.5);
                ArrowValues.set(out.getVector(2), ColumnType.UTF8, i, i % 2 == 0 ? "dex" : "token");
            }
            out.setRowCount(BATCH);
            double[] nanos = new double[2];
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 2; k++) {
                    boolean typed = k == 1;
                    long end = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < end) {
                        convert(typed, rows, in, out);
                    }
                    int batches = 2000;
                    long t = System.nanoTime();
                    for (int i = 0; i < batches; i++) {
                        convert(typed, rows, in, out);
                    }
                    double per = (System.nanoTime() - t) / (double) batches;
                    nanos[k] = round == 0 ? per : Math.min(nanos[k], per);
                }
            }
            System.out.printf(
                    "(e) Row <-> Arrow per 4096-row batch (4 columns in incl. list<utf8>, 3 out incl."
                            + " utf8): per value (ArrowValues) %.1f us, typed columns (RowColumns)"
                            + " %.1f us: %.2fx%n",
                    nanos[0] / 1e3, nanos[1] / 1e3, nanos[0] / nanos[1]);
        }
    }
}
