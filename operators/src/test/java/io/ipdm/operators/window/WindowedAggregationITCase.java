package io.ipdm.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each window kind on a MiniCluster, with out-of-order events, allowed lateness and the late side
 * output. Watermarks advance per event (2 s out-of-orderness), so which events are late depends
 * only on input order.
 */
class WindowedAggregationITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final RowTypeInfo EVENTS =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG, Types.LONG},
                    new String[] {"account", "block_time", "fee"});

    static Row ev(String account, long seconds, long fee) {
        return Row.of(account, seconds, fee);
    }

    static final List<AggregateSpec> COUNT_SUM =
            List.of(AggregateSpec.count("n"), AggregateSpec.sum("fees", "fee"));

    /**
     * Runs the aggregation; window rows as "W ...", updated window rows (a late event made the
     * window fire again) as "U ..." and late rows as "L ...", sorted.
     */
    static List<String> run(
            List<Row> events, List<String> keys, WindowSpec window, List<AggregateSpec> aggs)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Row> in =
                env.fromData(events, EVENTS)
                        .assignTimestampsAndWatermarks(
                                EventTimeWatermarks.forFieldPerEvent(
                                        EVENTS,
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ofSeconds(2)));
        WindowedAggregation.Result r =
                WindowedAggregation.apply(in, EVENTS, keys, window, aggs, "test");
        DataStream<String> all =
                r.out()
                        .map(row -> (row.getKind() == RowKind.INSERT ? "W " : "U ") + format(row))
                        .returns(Types.STRING)
                        .union(r.late().map(row -> "L " + format(row)).returns(Types.STRING));
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = all.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(null);
        return out;
    }

    static String format(Row row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.getArity(); i++) {
            Object v = row.getField(i);
            sb.append(i == 0 ? "" : ",").append(v instanceof Object[] a ? Arrays.toString(a) : v);
        }
        return sb.toString();
    }

    @Test
    void tumblingWithLatenessAndLateOutput() throws Exception {
        List<Row> events =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 3, 2),
                        ev("b", 4, 5),
                        ev("a", 11, 4), // out of order but on time for [10, 20)
                        ev("a", 12, 3), // watermark 9.999 s: [0, 10) fires
                        ev("a", 5, 10), // late, within 5 s lateness: [0, 10) fires again
                        ev("a", 25, 7), // watermark 22.999 s: [10, 20) fires, [0, 10) is purged
                        ev("a", 7, 100)); // too late: side output
        List<String> out =
                run(
                        events,
                        List.of("account"),
                        WindowSpec.tumbling(Duration.ofSeconds(10))
                                .withAllowedLateness(Duration.ofSeconds(5)),
                        COUNT_SUM);
        assertThat(out)
                .containsExactly(
                        "L a,7,100",
                        "U a,0,10000,3,13",
                        "W a,0,10000,2,3",
                        "W a,10000,20000,2,7",
                        "W a,20000,30000,1,7",
                        "W b,0,10000,1,5");
        assertThat(WindowedAggregation.outputType(EVENTS, List.of("account"), COUNT_SUM).toString())
                .isEqualTo(
                        "Row(account: String, window_start: Long, window_end: Long, n: Long, fees: Long)");
    }

    @Test
    void hoppingWindowsOverlap() throws Exception {
        List<Row> events =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 6, 2),
                        ev("a", 4, 4),
                        ev("a", 12, 8),
                        ev("a", 1, 16));
        List<String> out =
                run(
                        events,
                        List.of(),
                        WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                        COUNT_SUM);
        // ts 1 (second time) arrives at watermark 9.999 s: [-5, 5) and [0, 10) ended, no lateness
        assertThat(out)
                .containsExactly(
                        "L a,1,16",
                        "W -5000,5000,2,5",
                        "W 0,10000,3,7",
                        "W 10000,20000,1,8",
                        "W 5000,15000,2,10");
    }

    @Test
    void sessionWindowsMergeAcrossOutOfOrderEvents() throws Exception {
        List<Row> events =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 7, 2), // own session [7, 12): gap 5 s; watermark 4.999 s
                        ev("a", 5, 4), // bridges both into [1, 12)
                        ev("b", 2, 8),
                        ev("a", 30, 16), // watermark 27.999 s: sessions close
                        ev("b", 3, 32)); // too late
        List<String> out =
                run(
                        events,
                        List.of("account"),
                        WindowSpec.session(Duration.ofSeconds(5)),
                        List.of(
                                AggregateSpec.count("n"),
                                AggregateSpec.sum("fees", "fee"),
                                AggregateSpec.min("lo", "fee"),
                                AggregateSpec.max("hi", "fee"),
                                AggregateSpec.avg("mean", "fee"),
                                // sketches and first: their accumulators merge when sessions do
                                AggregateSpec.countDistinct("d", "fee", Precision.APPROXIMATE),
                                AggregateSpec.quantiles(
                                        "median", "fee", List.of(0.5), Precision.APPROXIMATE),
                                AggregateSpec.topK("top", "account", 1, Precision.APPROXIMATE),
                                AggregateSpec.first("first_fee", "fee", "block_time")));
        assertThat(out)
                .containsExactly(
                        "L b,3,32",
                        "W a,1000,12000,3,7,1,4,2.3333333333333335,3,[2.0],a:3,1",
                        "W a,30000,35000,1,16,16,16,16.0,1,[16.0],a:1,16",
                        "W b,2000,7000,1,8,8,8,8.0,1,[8.0],b:1,8");
    }

    /**
     * With an exact holistic aggregate the window keeps its rows (append-only list state) and
     * aggregates them when it fires: the same rows, updates and late rows as the incremental path.
     */
    @Test
    void bufferedWindowsUpdateAndSideOutputAsIncrementalOnes() throws Exception {
        List<AggregateSpec> aggs =
                List.of(
                        AggregateSpec.count("n"),
                        AggregateSpec.sum("fees", "fee"),
                        AggregateSpec.countDistinct("d", "fee", Precision.EXACT));
        assertThat(WindowedAggregation.buffersRows(aggs)).isTrue();
        assertThat(WindowedAggregation.buffersRows(COUNT_SUM)).isFalse();
        List<Row> tumbling =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 3, 2),
                        ev("b", 4, 5),
                        ev("a", 11, 4),
                        ev("a", 12, 3),
                        ev("a", 5, 10),
                        ev("a", 25, 7),
                        ev("a", 7, 100));
        assertThat(
                        run(
                                tumbling,
                                List.of("account"),
                                WindowSpec.tumbling(Duration.ofSeconds(10))
                                        .withAllowedLateness(Duration.ofSeconds(5)),
                                aggs))
                .containsExactly(
                        "L a,7,100",
                        "U a,0,10000,3,13,3",
                        "W a,0,10000,2,3,2",
                        "W a,10000,20000,2,7,2",
                        "W a,20000,30000,1,7,1",
                        "W b,0,10000,1,5,1");
        List<Row> sessions =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 20, 2),
                        ev("a", 4, 4),
                        ev("a", 40, 16),
                        ev("a", 3, 8));
        assertThat(
                        run(
                                sessions,
                                List.of("account"),
                                WindowSpec.session(Duration.ofSeconds(5))
                                        .withAllowedLateness(Duration.ofSeconds(20)),
                                aggs))
                .containsExactly(
                        "L a,3,8",
                        "U a,1000,9000,2,5,2",
                        "W a,1000,6000,1,1,1",
                        "W a,20000,25000,1,2,1",
                        "W a,40000,45000,1,16,1");
    }

    @Test
    void sessionGrownByALateEventIsAnUpdate() throws Exception {
        List<Row> events =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 20, 2), // watermark 17.999 s: session [1, 6) fires
                        ev(
                                "a", 4,
                                4), // late, within 10 s lateness: grows it to [1, 9), fires again
                        ev("a", 40, 16), // watermark 37.999 s: [20, 25) fires, [1, 9) is purged
                        ev("a", 3, 8)); // too late
        List<String> out =
                run(
                        events,
                        List.of("account"),
                        WindowSpec.session(Duration.ofSeconds(5))
                                .withAllowedLateness(Duration.ofSeconds(20)),
                        COUNT_SUM);
        assertThat(out)
                .containsExactly(
                        "L a,3,8",
                        "U a,1000,9000,2,5",
                        "W a,1000,6000,1,1",
                        "W a,20000,25000,1,2",
                        "W a,40000,45000,1,16");
    }

    @Test
    void cumulativeWindowsGrowWithinTheirPeriod() throws Exception {
        List<Row> events =
                List.of(
                        ev("a", 1, 1),
                        ev("a", 4, 2),
                        ev("a", 9, 4),
                        ev("a", 13, 8),
                        ev("a", 2, 16),
                        ev("a", 14, 32));
        List<String> out =
                run(
                        events,
                        List.of("account"),
                        WindowSpec.cumulative(Duration.ofSeconds(3), Duration.ofSeconds(12))
                                .withAllowedLateness(Duration.ofSeconds(1)),
                        COUNT_SUM);
        // ts 2 arrives at watermark 10.999 s: [0,3) [0,6) [0,9) are past lateness (late for them)
        // but [0,12) is still open, so the event counts there and is not a late event.
        assertThat(out)
                .containsExactly(
                        "W a,0,12000,4,23",
                        "W a,0,3000,1,1",
                        "W a,0,6000,2,3",
                        "W a,0,9000,2,3",
                        "W a,12000,15000,2,40",
                        // the end of input fires the rest of the second period
                        "W a,12000,18000,2,40",
                        "W a,12000,21000,2,40",
                        "W a,12000,24000,2,40");
    }

    @Test
    void sketchAndExactAggregatesInOneWindow() throws Exception {
        List<Row> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(ev("acct" + (i % 5), 1 + (i % 8), i));
        }
        List<String> out =
                run(
                        events,
                        List.of(),
                        WindowSpec.tumbling(Duration.ofSeconds(60)),
                        List.of(
                                AggregateSpec.countDistinct("accounts", "account", Precision.EXACT),
                                AggregateSpec.countDistinct(
                                        "accounts_hll", "account", Precision.APPROXIMATE),
                                AggregateSpec.topK("top", "account", 2, Precision.EXACT),
                                AggregateSpec.topK(
                                        "top_sketch", "account", 2, Precision.APPROXIMATE),
                                AggregateSpec.quantiles(
                                        "q", "fee", List.of(0.0, 0.5, 1.0), Precision.EXACT),
                                AggregateSpec.quantiles(
                                        "q_kll",
                                        "fee",
                                        List.of(0.0, 0.5, 1.0),
                                        Precision.APPROXIMATE),
                                AggregateSpec.first("first_fee", "fee", "block_time"),
                                AggregateSpec.last("last_fee", "fee", "block_time")));
        // first: smallest block_time (1) holds fees 0, 8, 16, ...: ties keep the smallest fee.
        // last: largest block_time (8) holds fees 7, 15, ..., 47: ties keep the largest fee.
        assertThat(out)
                .containsExactly(
                        "W 0,60000,5,5,acct0:10,acct1:10,acct0:10,acct1:10,[0.0, 24.0, 49.0],[0.0, 24.0, 49.0],0,47");
    }
}
