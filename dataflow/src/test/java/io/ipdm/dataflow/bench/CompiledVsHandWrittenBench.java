package io.ipdm.dataflow.bench;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Synthetic source -> decode -> per-program tumbling 1-minute count: the YAML job compiled by IPDM
 * vs the same query hand-written on the DataStream API, same source options, same parallelism, heap
 * state, no checkpoints, run one after the other in this JVM. Prints tx/s of each (transactions /
 * Flink's net job runtime) and the ratio; also the hand-written job with object reuse, which the
 * compiler turns on for its jobs. Arguments: [slots] [rounds].
 */
public final class CompiledVsHandWrittenBench {
    static final int TX_PER_SLOT = 1500;

    public static void main(String[] args) throws Exception {
        long slots = args.length > 0 ? Long.parseLong(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long txs = slots * TX_PER_SLOT;
        System.out.printf(
                Locale.ROOT,
                "%d slots x %d tx = %,d transactions (before 5%% skipped slots), parallelism 2, hashmap state%n",
                slots,
                TX_PER_SLOT,
                txs);
        for (int r = 1; r <= rounds; r++) {
            double hand = txs * 1000.0 / handWritten(slots, false);
            double compiled = txs * 1000.0 / compiled(slots);
            double handReuse = txs * 1000.0 / handWritten(slots, true);
            System.out.printf(
                    Locale.ROOT,
                    "round %d: hand-written %,.0f tx/s, compiled YAML %,.0f tx/s, ratio compiled/hand-written %.2f"
                            + " | hand-written with object reuse %,.0f tx/s, ratio %.2f (load average %.1f)%n",
                    r,
                    hand,
                    compiled,
                    compiled / hand,
                    handReuse,
                    compiled / handReuse,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static Configuration conf() {
        Configuration c = new Configuration();
        c.setString("parallelism.default", "2");
        c.setString("state.backend.type", "hashmap");
        return c;
    }

    /**
     * The same query on the DataStream API, as a Flink engineer would write it; with {@code reuse},
     * also with object reuse on (shown for reference: it is not Flink's default).
     */
    static long handWritten(long slots, boolean reuse) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
        if (reuse) {
            env.getConfig().enableObjectReuse();
        }
        SyntheticOptions o =
                SyntheticOptions.builder()
                        .seed(1)
                        .startSlot(300_000_000L)
                        .endSlot(300_000_000L + slots)
                        .transactionsPerSlot(TX_PER_SLOT)
                        .build();
        SolanaSourceDefinition def = SolanaSources.synthetic(o, SolanaTable.TRANSACTIONS);
        int programs = SolanaTable.TRANSACTIONS.indexOf("program_ids");
        int time = SolanaTable.TRANSACTIONS.blockTimeIndex();
        DataStream<Row> rows =
                env.fromSource(
                        def.source(),
                        WatermarkStrategy.<Row>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner((r, t) -> (Long) r.getField(time) * 1000),
                        "txs",
                        def.rowType());
        rows.flatMap(
                        (FlatMapFunction<Row, String>)
                                (r, out) -> {
                                    String[] ps = (String[]) r.getField(programs);
                                    for (String p : new java.util.LinkedHashSet<>(List.of(ps))) {
                                        out.collect(p);
                                    }
                                })
                .returns(Types.STRING)
                .keyBy(p -> p)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new Count(), new Emit())
                .sinkTo(new Discard<>());
        JobExecutionResult r = env.execute("hand-written");
        return r.getNetRuntime();
    }

    static long compiled(long slots) throws Exception {
        Path tmp = Files.createTempDirectory("ipdm-bench");
        String yaml =
                """
                name: bench
                event_time: {field: block_time, unit: seconds, max_out_of_orderness: 5s}
                sources:
                  - id: txs
                    kind: solana-synthetic
                    table: transactions
                    options: {seed: 1, start_slot: 300000000, slots: %d, transactions_per_slot: %d}
                stages:
                  - {id: per_program, kind: explode, input: txs, field: program_ids, as: program_id}
                  - id: per_minute
                    kind: window
                    input: per_program
                    key_by: [program_id]
                    window: {type: tumbling, size: 1m}
                    aggregates: [{name: txs, fn: count}]
                sinks:
                  - {id: out, kind: terminal, input: per_minute, options: {top: 1, order_by: txs}}
                runtime: {parallelism: 2, state_backend: hashmap, checkpoint_interval: 0s}
                """
                        .formatted(slots, TX_PER_SLOT);
        PipelineLoader.Loaded l = PipelineLoader.parse(yaml, "bench.yaml", List.of(), Map.of());
        CompiledPipeline c = CompiledPipeline.compile(l, tmp);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(c.config());
        return env.execute(c.graph()).getNetRuntime();
    }

    /** Key, window start, count: what the compiled window emits too. */
    static final class Emit
            implements WindowFunction<Long, Tuple3<String, Long, Long>, String, TimeWindow> {
        @Override
        public void apply(
                String key,
                TimeWindow w,
                Iterable<Long> in,
                Collector<Tuple3<String, Long, Long>> out) {
            out.collect(Tuple3.of(key, w.getStart(), in.iterator().next()));
        }
    }

    static final class Count implements AggregateFunction<String, Long, Long> {
        public Long createAccumulator() {
            return 0L;
        }

        public Long add(String v, Long a) {
            return a + 1;
        }

        public Long getResult(Long a) {
            return a;
        }

        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    static final class Discard<T> implements Sink<T> {
        public SinkWriter<T> createWriter(WriterInitContext c) {
            return new SinkWriter<>() {
                public void write(T e, Context ctx) {}

                public void flush(boolean end) {}

                public void close() {}
            };
        }
    }
}
