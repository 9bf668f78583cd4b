package io.ipdm.connectors.lakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.window.WindowArchive;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LakesConnectorsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.LONG, Types.LONG, Types.STRING, Types.LONG, Types.DOUBLE
                    },
                    new String[] {"window_start", "window_end", "program", "tx_count", "fees"});

    static List<Row> windowRows() {
        List<Row> rows = new ArrayList<>();
        for (long w = 0; w < 3; w++) {
            for (int k = 0; k < 40; k++) {
                rows.add(
                        Row.of(
                                w * 60_000,
                                (w + 1) * 60_000,
                                "program-" + k,
                                w * 100 + k,
                                k * 0.25));
            }
        }
        return rows;
    }

    @Test
    void windowsGoInAsRootCidsAndComeBackAsRows(@TempDir Path dir) throws Exception {
        String lake = dir.resolve("lake").toString();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Row> in =
                env.fromData(TYPE, windowRows().toArray(Row[]::new))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Row>forBoundedOutOfOrderness(Duration.ZERO)
                                        .withTimestampAssigner((r, t) -> (Long) r.getField(1) - 1));
        List<Row> roots =
                LakesSink.windows(in, TYPE, LakesSinkOptions.of(lake), "lakes-test")
                        .executeAndCollect(10);
        assertThat(roots).hasSize(3);

        // the root CID is the canonical encoding of the window's rows, whatever their arrival order
        Map<Long, String> expected = new TreeMap<>();
        for (long w = 0; w < 3; w++) {
            List<List<Object>> values = new ArrayList<>();
            for (Row r : windowRows()) {
                if ((Long) r.getField(0) == w * 60_000) {
                    values.add(RowValues.toIpld(r, TYPE));
                }
            }
            List<Block> blocks =
                    WindowArchive.encode(
                            w * 60_000, (w + 1) * 60_000, List.of(TYPE.getFieldNames()), values);
            expected.put((w + 1) * 60_000, blocks.get(blocks.size() - 1).cid().toString());
        }
        Map<Long, String> got = new TreeMap<>();
        for (Row r : roots) {
            got.put((Long) r.getField(1), (String) r.getField(2));
            assertThat(r.getField(3)).isEqualTo(40L);
        }
        assertThat(got).isEqualTo(expected);

        // running the job again writes nothing new and yields the same roots
        List<Row> again =
                LakesSink.windows(
                                env.fromData(TYPE, windowRows().toArray(Row[]::new))
                                        .assignTimestampsAndWatermarks(
                                                WatermarkStrategy.<Row>forBoundedOutOfOrderness(
                                                                Duration.ZERO)
                                                        .withTimestampAssigner(
                                                                (r, t) ->
                                                                        (Long) r.getField(1) - 1)),
                                TYPE,
                                LakesSinkOptions.of(lake),
                                "lakes-test")
                        .executeAndCollect(10);
        assertThat(again.stream().map(r -> (String) r.getField(2)).sorted().toList())
                .isEqualTo(expected.values().stream().sorted().toList());

        List<Row> back =
                env.fromSource(
                                LakesSource.windows(lake, new ArrayList<>(expected.values()), TYPE),
                                WatermarkStrategy.noWatermarks(),
                                "lake-windows")
                        .executeAndCollect(1000);
        assertThat(back).containsExactlyInAnyOrderElementsOf(windowRows());
    }

    @Test
    void oldFaithfulEpochCarsAsSolanaRows() throws Exception {
        List<String> cars = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            cars.add(OldFaithfulCarTest.epochCar(n).toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Row> blocks =
                env.fromSource(
                                LakesSource.oldFaithful(
                                        cars, io.ipdm.connectors.solana.SolanaTable.BLOCKS),
                                WatermarkStrategy.noWatermarks(),
                                "faithful")
                        .executeAndCollect(100);
        assertThat(blocks.stream().map(r -> (Long) r.getField(0)).sorted().toList())
                .isEqualTo(java.util.stream.LongStream.range(0, 30).boxed().toList());
    }

    @Test
    void carFileBlocksAsRows() throws Exception {
        Path car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "ipld/ipld-spec-car-fixtures/carv1-basic/carv1-basic.car");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.exists(car), "shared test data not found at " + car);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<Row> rows =
                env.fromSource(
                                LakesSource.car(car.toString()),
                                WatermarkStrategy.noWatermarks(),
                                "car")
                        .executeAndCollect(100);
        assertThat(rows).hasSize(8);
        assertThat(rows.stream().map(r -> (String) r.getField(1)).distinct())
                .containsExactlyInAnyOrder("dag-cbor", "dag-pb", "raw");
    }
}
