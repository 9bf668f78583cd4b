package io.ipdm.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same windows with and without pre-aggregation before the shuffle ({@link PaneCombiner}):
 * first firings, updates from late rows within the allowed lateness, and late rows on the side
 * output, row for row. Watermarks advance per event at parallelism 1, so which rows are late
 * depends only on input order and the two runs must agree exactly.
 */
class PreAggregationITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final List<AggregateSpec> MERGEABLE =
            List.of(
                    AggregateSpec.count("n"),
                    AggregateSpec.sum("fees", "fee"),
                    AggregateSpec.avg("mean", "fee"),
                    AggregateSpec.min("lo", "fee"),
                    AggregateSpec.max("hi", "fee"),
                    AggregateSpec.min("first_account", "account"),
                    AggregateSpec.first("first_fee", "fee", "block_time"),
                    AggregateSpec.last("last_fee", "fee", "block_time"),
                    AggregateSpec.countDistinct("fee_values", "fee", Precision.APPROXIMATE));

    /**
     * Window rows "W ...", updates "U ..." and late rows "L ...", sorted; and the graph's nodes.
     */
    record Run(List<String> rows, List<String> operators) {}

    static Run run(
            List<Row> events,
            List<String> keys,
            WindowSpec window,
            List<AggregateSpec> aggs,
            boolean preAggregate,
            int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().enableObjectReuse();
        var events0 = WindowedAggregationITCase.EVENTS;
        DataStream<Row> in =
                env.fromData(events, events0)
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                EventTimeWatermarks.forFieldPerEvent(
                                        events0,
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ofSeconds(2)))
                        .setParallelism(1);
        WindowedAggregation.Result r =
                WindowedAggregation.apply(
                        in, events0, keys, window, aggs, "test", true, preAggregate);
        DataStream<String> all =
                r.out()
                        .map(
                                row ->
                                        (row.getKind() == RowKind.INSERT ? "W " : "U ")
                                                + WindowedAggregationITCase.format(row))
                        .returns(Types.STRING)
                        .union(
                                r.late()
                                        .map(row -> "L " + WindowedAggregationITCase.format(row))
                                        .returns(Types.STRING));
        List<String> operators = new ArrayList<>();
        for (StreamNode n : env.getStreamGraph(false).getStreamNodes()) {
            operators.add(n.getOperatorName());
        }
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = all.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(null);
        return new Run(out, operators);
    }

    /** Seeded events: 40 accounts over 10 minutes, out of order, with some rows minutes late. */
    static List<Row> events(long seed, int n) {
        Random random = new Random(seed);
        List<Row> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = i * 600L / n + random.nextInt(3); // within the 2 s out-of-orderness
            if (random.nextInt(50) == 0) {
                t -= 5 + random.nextInt(60); // late: some within the lateness, some beyond
            }
            events.add(
                    WindowedAggregationITCase.ev(
                            "acc" + random.nextInt(40), Math.max(0, t), random.nextInt(1000)));
        }
        return events;
    }

    static void assertSame(List<Row> events, List<String> keys, WindowSpec window)
            throws Exception {
        Run off = run(events, keys, window, MERGEABLE, false, 1);
        Run on = run(events, keys, window, MERGEABLE, true, 1);
        assertThat(off.operators()).noneMatch(n -> n.startsWith("pre-aggregate"));
        assertThat(on.operators()).contains("pre-aggregate test per " + paneOf(window));
        assertThat(on.rows()).isEqualTo(off.rows());
        assertThat(off.rows()).anyMatch(r -> r.startsWith("U ")).anyMatch(r -> r.startsWith("L "));
    }

    static String paneOf(WindowSpec window) {
        return WindowedAggregation.millisText(window.paneMillis());
    }

    @Test
    void tumblingWithLatenessSameAsWithout() throws Exception {
        assertSame(
                events(1, 6_000),
                List.of("account"),
                WindowSpec.tumbling(Duration.ofMinutes(1))
                        .withAllowedLateness(Duration.ofSeconds(30)));
    }

    @Test
    void hoppingWithLatenessSameAsWithout() throws Exception {
        assertSame(
                events(2, 6_000),
                List.of("account"),
                WindowSpec.hopping(Duration.ofSeconds(50), Duration.ofSeconds(20))
                        .withAllowedLateness(Duration.ofSeconds(10)));
    }

    @Test
    void cumulativeWithoutKeysSameAsWithout() throws Exception {
        assertSame(
                events(3, 6_000),
                List.of(),
                WindowSpec.cumulative(Duration.ofSeconds(20), Duration.ofMinutes(1))
                        .withAllowedLateness(Duration.ofSeconds(15)));
    }

    @Test
    void twoKeyFieldsSameAsWithout() throws Exception {
        assertSame(
                events(4, 6_000),
                List.of("account", "fee"),
                WindowSpec.tumbling(Duration.ofSeconds(30))
                        .withAllowedLateness(Duration.ofSeconds(20)));
    }

    /**
     * Parallel windows (two subtasks after the shuffle, partials from the source's subtask) give
     * the same final windows; no late rows, so the outcome does not depend on timing.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2})
    void parallelWindowsSameAsWithout(int parallelism) throws Exception {
        Random random = new Random(9);
        List<Row> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            events.add(
                    WindowedAggregationITCase.ev(
                            "acc" + random.nextInt(300), i * 900L / 20_000, random.nextInt(9)));
        }
        WindowSpec window = WindowSpec.hopping(Duration.ofMinutes(2), Duration.ofMinutes(1));
        Run off = run(events, List.of("account"), window, MERGEABLE, false, parallelism);
        Run on = run(events, List.of("account"), window, MERGEABLE, true, parallelism);
        assertThat(on.rows()).hasSizeGreaterThan(3_000).isEqualTo(off.rows());
    }

    @Test
    void windowsThatCannotBePreAggregatedAreBuiltAsBefore() throws Exception {
        List<Row> events = events(5, 2_000);
        for (WindowSpec w :
                List.of(
                        WindowSpec.session(Duration.ofSeconds(5)),
                        WindowSpec.tumbling(Duration.ofMinutes(1)))) {
            List<AggregateSpec> aggs =
                    w.kind() == WindowSpec.Kind.SESSION
                            ? MERGEABLE
                            : List.of(
                                    AggregateSpec.count("n"),
                                    AggregateSpec.quantiles(
                                            "q", "fee", List.of(0.5), Precision.APPROXIMATE));
            Run on = run(events, List.of("account"), w, aggs, true, 1);
            Run off = run(events, List.of("account"), w, aggs, false, 1);
            assertThat(on.operators()).noneMatch(n -> n.startsWith("pre-aggregate"));
            assertThat(on.rows()).isEqualTo(off.rows());
        }
    }
}
