package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Rust vwap aggregate as a Flink window aggregate (tumbling and merging session windows), with
 * RocksDB-style serialized accumulators checked against the same numbers computed in Java.
 */
class WasmAggregateITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final RowTypeInfo SWAPS =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG, Types.DOUBLE, Types.DOUBLE},
                    new String[] {"pair", "block_time", "price", "amount"});

    static List<Row> swaps() {
        List<Row> rows = new ArrayList<>();
        String[] pairs = {"SOL/USDC", "JUP/SOL"};
        for (int i = 0; i < 600; i++) {
            String pair = pairs[i % 2];
            long t = 1_700_000_000L + i; // one swap per second
            double price = (pair.equals("SOL/USDC") ? 150.0 : 0.005) + (i % 13) * 0.25;
            double amount = 1.0 + (i % 5);
            rows.add(Row.of(pair, t, price, amount));
        }
        return rows;
    }

    /** The same aggregate in Java, per pair and 60 s window. */
    static Map<String, String> expected(List<Row> rows) {
        Map<String, double[]> acc = new TreeMap<>();
        for (Row r : rows) {
            long start = ((Long) r.getField(1) / 60) * 60_000;
            double[] a = acc.computeIfAbsent(r.getField(0) + "@" + start, k -> new double[3]);
            a[0] += (Double) r.getField(2) * (Double) r.getField(3);
            a[1] += (Double) r.getField(3);
            a[2] += 1;
        }
        Map<String, String> out = new TreeMap<>();
        acc.forEach((k, a) -> out.put(k, format(a[0] / a[1], a[1], (long) a[2])));
        return out;
    }

    static String format(double vwap, double volume, long trades) {
        return String.format("%.9f %.3f %d", vwap, volume, trades);
    }

    static Map<String, String> run(WindowAssigner<Object, TimeWindow> windows, int batch)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        WasmStage stage =
                WasmStage.of(TestModules.load("rust/vwap.wasm"), "vwap")
                        .withBatching(batch, Duration.ofMillis(100));
        WasmAggregateFunction fn = new WasmAggregateFunction(stage, SWAPS);
        DataStream<Row> out =
                env.fromData(swaps(), SWAPS)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Row>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (r, ts) -> (Long) r.getField(1) * 1000))
                        .keyBy(r -> (String) r.getField(0), Types.STRING)
                        .window(windows)
                        .aggregate(
                                fn,
                                new ProcessWindowFunction<Row, Row, String, TimeWindow>() {
                                    @Override
                                    public void process(
                                            String key,
                                            Context ctx,
                                            Iterable<Row> results,
                                            Collector<Row> c) {
                                        for (Row r : results) {
                                            c.collect(
                                                    Row.join(
                                                            Row.of(key, ctx.window().getStart()),
                                                            r));
                                        }
                                    }
                                },
                                fn.accumulatorType(),
                                fn.resultType(),
                                Types.ROW(
                                        Types.STRING,
                                        Types.LONG,
                                        Types.DOUBLE,
                                        Types.DOUBLE,
                                        Types.LONG,
                                        Types.DOUBLE,
                                        Types.DOUBLE));
        Map<String, String> got = new TreeMap<>();
        try (CloseableIterator<Row> it = out.executeAndCollect()) {
            it.forEachRemaining(
                    r ->
                            got.put(
                                    r.getField(0) + "@" + r.getField(1),
                                    format(
                                            (Double) r.getField(2),
                                            (Double) r.getField(3),
                                            (Long) r.getField(4))));
        }
        return got;
    }

    @Test
    void tumblingWindowsMatchTheJavaAggregate() throws Exception {
        assertThat(run(TumblingEventTimeWindows.of(Duration.ofSeconds(60)), 7))
                .isEqualTo(expected(swaps()));
    }

    @Test
    void sessionWindowsMergeStates() throws Exception {
        // one swap per pair every 2 s, gap 5 s: each pair is one session spanning all rows
        Map<String, String> got = run(EventTimeSessionWindows.withGap(Duration.ofSeconds(5)), 3);
        assertThat(got).hasSize(2);
        List<Row> rows = swaps();
        for (String pair : List.of("SOL/USDC", "JUP/SOL")) {
            double pv = 0;
            double v = 0;
            long n = 0;
            for (Row r : rows) {
                if (r.getField(0).equals(pair)) {
                    pv += (Double) r.getField(2) * (Double) r.getField(3);
                    v += (Double) r.getField(3);
                    n++;
                }
            }
            long start = pair.equals("SOL/USDC") ? 1_700_000_000_000L : 1_700_000_001_000L;
            assertThat(got).containsEntry(pair + "@" + start, format(pv / v, v, n));
        }
    }
}
