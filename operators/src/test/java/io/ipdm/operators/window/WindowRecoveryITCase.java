package io.ipdm.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Aggregators;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window state in RocksDB through checkpoints: a task fails once after a checkpoint, the job
 * restarts from it, and the windows equal those computed directly (no Flink) from the same events.
 * Every accumulator kind is in the job, so each serializer is exercised by RocksDB on every event
 * and by the checkpoint and restore.
 */
class WindowRecoveryITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    static final int EVENTS = 3_000;
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG, Types.LONG},
                    new String[] {"key", "ts", "v"});

    static final List<AggregateSpec> AGGS =
            List.of(
                    AggregateSpec.count("n"),
                    AggregateSpec.sum("total", "v"),
                    AggregateSpec.avg("mean", "v"),
                    AggregateSpec.min("lo", "v"),
                    AggregateSpec.last("last_v", "v", "ts"),
                    AggregateSpec.countDistinct("distinct", "v", Precision.EXACT),
                    AggregateSpec.countDistinct("distinct_hll", "v", Precision.APPROXIMATE),
                    AggregateSpec.topK("top", "v", 2, Precision.EXACT),
                    AggregateSpec.topK("top_sketch", "v", 2, Precision.APPROXIMATE),
                    AggregateSpec.quantiles("q", "v", List.of(0.5, 0.9), Precision.EXACT),
                    AggregateSpec.quantiles(
                            "q_kll", "v", List.of(0.5, 0.9), Precision.APPROXIMATE));

    static Row event(long i) {
        // 5 keys; 10 ms apart: a 5 s window holds 500 events, 100 per key; 6 windows
        return Row.of("k" + (i % 5), i * 10, (i * 7919) % 1000);
    }

    static volatile boolean failed;
    static volatile long checkpointsBeforeFailure;

    /** Fails once, on the first event after a checkpoint completed. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<Long, Row>
            implements CheckpointListener {
        private transient long completed;

        @Override
        public void open(OpenContext ctx) {
            completed = 0;
        }

        @Override
        public Row map(Long i) throws Exception {
            // paces the input (about 6 s) so that RocksDB checkpoints complete while it flows
            Thread.sleep(2);
            if (!failed && completed > 0) {
                failed = true;
                checkpointsBeforeFailure = completed;
                throw new IllegalStateException("injected failure at event " + i);
            }
            return event(i);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completed++;
        }
    }

    @Test
    void rocksDbWindowsSurviveAFailureAndEqualTheDirectComputation(@TempDir Path checkpoints)
            throws Exception {
        failed = false;
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                "state.backend.type", "rocksdb",
                                "execution.checkpointing.interval", "100 ms",
                                "execution.checkpointing.dir", checkpoints.toUri().toString(),
                                "restart-strategy.type", "fixed-delay",
                                "restart-strategy.fixed-delay.attempts", "2",
                                "restart-strategy.fixed-delay.delay", "50 ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        env.setParallelism(1);
        DataStream<Row> in =
                env.fromSequence(0, EVENTS - 1)
                        .map(new FailOnceAfterCheckpoint())
                        .returns(TYPE)
                        .assignTimestampsAndWatermarks(
                                EventTimeWatermarks.forFieldPerEvent(
                                        TYPE, "ts", EventTimeUnit.MILLIS, Duration.ZERO));
        WindowedAggregation.Result r =
                WindowedAggregation.apply(
                        in,
                        TYPE,
                        List.of("key"),
                        WindowSpec.tumbling(Duration.ofSeconds(5)),
                        AGGS,
                        "recovery");
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<Row> it = r.out().executeAndCollect()) {
            it.forEachRemaining(row -> actual.add(WindowedAggregationITCase.format(row)));
        }
        actual.sort(null);

        assertThat(failed).as("the injected failure happened").isTrue();
        assertThat(checkpointsBeforeFailure).isPositive();
        assertThat(actual).hasSize(6 * 5).containsExactlyElementsOf(direct());
    }

    /** The same windows computed with the aggregators alone, in event order. */
    @SuppressWarnings("unchecked")
    static List<String> direct() {
        Map<String, Object[]> windows = new TreeMap<>();
        List<Aggregator<Object>> aggs = new ArrayList<>();
        for (AggregateSpec s : AGGS) {
            aggs.add((Aggregator<Object>) Aggregators.create(s, TYPE));
        }
        for (long i = 0; i < EVENTS; i++) {
            Row e = event(i);
            long start = (long) e.getField(1) / 5_000 * 5_000;
            Object[] acc =
                    windows.computeIfAbsent(
                            e.getField(0) + "," + start + "," + (start + 5_000),
                            k -> aggs.stream().map(Aggregator::createAccumulator).toArray());
            for (int a = 0; a < aggs.size(); a++) {
                acc[a] = aggs.get(a).add(acc[a], e);
            }
        }
        List<String> out = new ArrayList<>();
        windows.forEach(
                (k, acc) -> {
                    Row row = new Row(3 + aggs.size());
                    String[] parts = k.split(",");
                    row.setField(0, parts[0]);
                    row.setField(1, Long.parseLong(parts[1]));
                    row.setField(2, Long.parseLong(parts[2]));
                    for (int a = 0; a < aggs.size(); a++) {
                        row.setField(3 + a, aggs.get(a).result(acc[a]));
                    }
                    out.add(WindowedAggregationITCase.format(row));
                });
        out.sort(null);
        return out;
    }
}
