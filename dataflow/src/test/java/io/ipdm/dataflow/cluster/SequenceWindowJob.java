package io.ipdm.dataflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * A hand-written windowed job for cluster tests: values 0..n-1 with event time value*10 ms, keyed
 * by value % 7, counted and summed per 5 s tumbling window, written by an exactly-once FileSink. It
 * is throttled so a test can act while it runs. Its expected output is computed directly.
 */
final class SequenceWindowJob {

    static final int KEYS = 7;
    static final long MILLIS_PER_VALUE = 10;
    static final long WINDOW_MILLIS = 5_000;

    private SequenceWindowJob() {}

    static StreamGraph graph(long n, int parallelism, int valuesPerMilli, Path out) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(1000);
        env.fromSource(
                        new NumberSequenceSource(0, n - 1),
                        WatermarkStrategy.<Long>forMonotonousTimestamps()
                                .withTimestampAssigner((v, t) -> v * MILLIS_PER_VALUE),
                        "sequence")
                .uid("sequence")
                .map(new Throttle(valuesPerMilli))
                .uid("throttle")
                .keyBy(v -> v % KEYS)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW_MILLIS)))
                .aggregate(new CountAndSum(), new Format())
                .uid("window")
                .sinkTo(
                        FileSink.forRowFormat(
                                        new org.apache.flink.core.fs.Path(out.toUri()),
                                        new SimpleStringEncoder<String>())
                                // commit on every checkpoint, so results appear while it runs
                                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                                .build())
                .uid("files");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("sequence-windows");
        return graph;
    }

    /** The lines an uninterrupted run writes, sorted. */
    static List<String> expected(long n) {
        Map<String, long[]> windows = new TreeMap<>();
        for (long v = 0; v < n; v++) {
            long start = v * MILLIS_PER_VALUE / WINDOW_MILLIS * WINDOW_MILLIS;
            long[] cs = windows.computeIfAbsent((v % KEYS) + "," + start, k -> new long[2]);
            cs[0]++;
            cs[1] += v;
        }
        List<String> lines = new ArrayList<>();
        windows.forEach((k, cs) -> lines.add(k + "," + cs[0] + "," + cs[1]));
        return lines.stream().sorted().toList();
    }

    /** The committed lines under {@code out}, sorted (in-progress and pending files are hidden). */
    static List<String> committed(Path out) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            List<String> lines = new ArrayList<>();
            for (Path f :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .toList()) {
                lines.addAll(Files.readAllLines(f));
            }
            return lines.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps 1 ms every {@code valuesPerMilli} values so the job runs long enough to disturb. */
    static final class Throttle implements MapFunction<Long, Long> {
        private final int valuesPerMilli;
        private transient long seen;

        Throttle(int valuesPerMilli) {
            this.valuesPerMilli = valuesPerMilli;
        }

        @Override
        public Long map(Long v) throws InterruptedException {
            if (++seen % valuesPerMilli == 0) {
                Thread.sleep(1);
            }
            return v;
        }
    }

    static final class CountAndSum implements AggregateFunction<Long, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long v, long[] acc) {
            return new long[] {acc[0] + 1, acc[1] + v};
        }

        @Override
        public long[] getResult(long[] acc) {
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    static final class Format extends ProcessWindowFunction<long[], String, Long, TimeWindow> {
        @Override
        public void process(
                Long key, Context ctx, Iterable<long[]> results, Collector<String> out) {
            long[] cs = results.iterator().next();
            out.collect(key + "," + ctx.window().getStart() + "," + cs[0] + "," + cs[1]);
        }
    }
}
