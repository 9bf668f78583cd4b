package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.AggregateSpec;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Throughput of a per-key tumbling-window count: {@link WindowedAggregation} without and with
 * pre-aggregation before the shuffle against a hand-written Flink window with the same semantics,
 * in the same JVM, alternating, on a local environment with heap state. Prints rows per second and
 * the ratios. Run by hand (see docs/BENCHMARKS.md).
 */
final class WindowBench {
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG, Types.LONG},
                    new String[] {"program_id", "block_time", "fee"});

    @SuppressWarnings("unchecked")
    static final TypeInformation<long[]> LONGS =
            (TypeInformation<long[]>) (TypeInformation<?>) Types.PRIMITIVE_ARRAY(Types.LONG);

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000L;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (int round = 0; round < 2; round++) {
            double hand = run(rows, parallelism, Mode.HAND_WRITTEN);
            double ours = run(rows, parallelism, Mode.IPDM);
            double combined = run(rows, parallelism, Mode.IPDM_PRE_AGGREGATED);
            System.out.printf(
                    "round %d: %,d rows, parallelism %d: hand-written %,.0f rows/s, IPDM %,.0f"
                            + " rows/s (ratio %.2f), IPDM pre-aggregated %,.0f rows/s (ratio"
                            + " %.2f)%n",
                    round, rows, parallelism, hand, ours, ours / hand, combined, combined / hand);
        }
    }

    enum Mode {
        HAND_WRITTEN,
        IPDM,
        IPDM_PRE_AGGREGATED
    }

    static double run(long n, int parallelism, Mode mode) throws Exception {
        boolean ipdm = mode != Mode.HAND_WRITTEN;
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        DataStream<Row> in =
                env.fromSequence(0, n - 1)
                        // 2,000 programs; 10,000 rows per second of event time
                        .map(i -> Row.of("program" + (i * 7919 % 2000), i / 10, i % 5000))
                        .returns(TYPE)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Row>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (r, t) -> (Long) r.getField(1) * 1000));
        DataStream<Row> out;
        if (ipdm) {
            out =
                    WindowedAggregation.apply(
                                    in,
                                    TYPE,
                                    List.of("program_id"),
                                    WindowSpec.tumbling(Duration.ofMinutes(1)),
                                    List.of(
                                            AggregateSpec.count("txs"),
                                            AggregateSpec.sum("fees", "fee")),
                                    "bench",
                                    false,
                                    mode == Mode.IPDM_PRE_AGGREGATED)
                            .out();
        } else {
            out =
                    in.keyBy(r -> (String) r.getField(0))
                            .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                            .aggregate(
                                    new CountSum(),
                                    new Emit(),
                                    LONGS,
                                    LONGS,
                                    Types.ROW(
                                            Types.STRING,
                                            Types.LONG,
                                            Types.LONG,
                                            Types.LONG,
                                            Types.LONG));
        }
        out.sinkTo(new DiscardingSink<>());
        long start = System.nanoTime();
        env.execute(mode + " window bench");
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** count and sum in a long[2]. */
    static final class CountSum implements AggregateFunction<Row, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Row r, long[] acc) {
            acc[0]++;
            acc[1] += (Long) r.getField(2);
            return acc;
        }

        @Override
        public long[] getResult(long[] acc) {
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }
    }

    static final class Emit extends ProcessWindowFunction<long[], Row, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<long[]> in, Collector<Row> out) {
            long[] r = in.iterator().next();
            out.collect(Row.of(key, ctx.window().getStart(), ctx.window().getEnd(), r[0], r[1]));
        }
    }
}
