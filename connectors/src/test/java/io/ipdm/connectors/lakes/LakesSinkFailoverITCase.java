package io.ipdm.connectors.lakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.window.WindowArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A task failure mid-stream, restored from a checkpoint: every window root comes out once. */
class LakesSinkFailoverITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();

    /** Slows the stream so checkpoints happen inside it, and fails once after 70 rows. */
    static final class FailOnce implements MapFunction<Row, Row> {
        @Override
        public Row map(Row r) throws Exception {
            Thread.sleep(5);
            if (SEEN.incrementAndGet() == 70 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after 70 rows");
            }
            return r;
        }
    }

    @Test
    void windowRootsAreEmittedExactlyOnceAcrossARestore(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        List<Row> rows = LakesConnectorsITCase.windowRows();
        DataStream<Row> in =
                env.fromData(LakesConnectorsITCase.TYPE, rows.toArray(Row[]::new))
                        .map(new FailOnce())
                        .returns(LakesConnectorsITCase.TYPE)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Row>forBoundedOutOfOrderness(Duration.ZERO)
                                        .withTimestampAssigner((r, t) -> (Long) r.getField(1) - 1));
        List<Row> roots =
                LakesSink.windows(
                                in,
                                LakesConnectorsITCase.TYPE,
                                LakesSinkOptions.of(dir.resolve("lake").toString()),
                                "lakes-failover")
                        .executeAndCollect(10);
        assertThat(FAILED).isTrue();
        List<String> expected = new ArrayList<>();
        for (long w = 0; w < 3; w++) {
            List<List<Object>> values = new ArrayList<>();
            for (Row r : rows) {
                if ((Long) r.getField(0) == w * 60_000) {
                    values.add(RowValues.toIpld(r, LakesConnectorsITCase.TYPE));
                }
            }
            List<Block> blocks =
                    WindowArchive.encode(
                            w * 60_000,
                            (w + 1) * 60_000,
                            List.of(LakesConnectorsITCase.TYPE.getFieldNames()),
                            values);
            expected.add(blocks.get(blocks.size() - 1).cid().toString());
        }
        assertThat(roots.stream().map(r -> (String) r.getField(2)).toList())
                .containsExactlyElementsOf(expected);
    }
}
