package io.ipdm.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Aggregators;
import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * {@link PaneCombiner} alone: what it sends, when, and with which timestamps. Rows are (account,
 * block_time seconds, fee); partials are printed as "P key@pane count,fees", rows passed on alone
 * as "R key@timestamp", watermarks as "WM t".
 */
class PaneCombinerTest {
    static final List<AggregateSpec> AGGS =
            List.of(AggregateSpec.count("n"), AggregateSpec.sum("fees", "fee"));

    static RowAggregateFunction function() {
        List<Aggregator<?>> aggs = new ArrayList<>();
        for (AggregateSpec a : AGGS) {
            aggs.add(Aggregators.create(a, WindowedAggregationITCase.EVENTS));
        }
        return new RowAggregateFunction(aggs);
    }

    static OneInputStreamOperatorTestHarness<Row, Row> harness(WindowSpec window, int maxEntries)
            throws Exception {
        OneInputStreamOperatorTestHarness<Row, Row> h =
                new OneInputStreamOperatorTestHarness<>(
                        new PaneCombiner(
                                new int[] {0},
                                function(),
                                window.paneMillis(),
                                window.assigner(),
                                maxEntries));
        h.open();
        return h;
    }

    static void row(OneInputStreamOperatorTestHarness<Row, Row> h, String key, long ms, long fee)
            throws Exception {
        h.processElement(new StreamRecord<>(Row.of(key, ms / 1000, fee), ms));
    }

    /** The output so far, in order, and cleared. */
    static List<String> drain(OneInputStreamOperatorTestHarness<Row, Row> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("WM " + w.getTimestamp());
            } else if (o instanceof WatermarkStatus) {
                continue; // forwarded as is
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<Row> r = (StreamRecord<Row>) o;
                Row p = r.getValue();
                if (p.getField(2) != null) {
                    out.add("R " + p.getField(0) + "@" + r.getTimestamp());
                } else {
                    Row result = function().getResult((Object[]) p.getField(1));
                    out.add(
                            "P "
                                    + p.getField(0)
                                    + "@"
                                    + r.getTimestamp()
                                    + " "
                                    + result.getField(0)
                                    + ","
                                    + result.getField(1));
                }
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void rowsOfAKeyAndPaneLeaveAsOnePartialBeforeTheWatermarkThatFiresTheirWindow()
            throws Exception {
        try (var h = harness(WindowSpec.tumbling(Duration.ofSeconds(10)), 100)) {
            row(h, "a", 1_000, 1);
            row(h, "a", 3_000, 2);
            row(h, "b", 4_000, 5);
            row(h, "a", 12_000, 3);
            h.processWatermark(new Watermark(9_998));
            assertThat(drain(h))
                    .as("the window [0, 10 s) has not fired")
                    .containsExactly("WM 9998");
            h.processWatermark(new Watermark(9_999));
            assertThat(drain(h))
                    .containsExactlyInAnyOrder("P a@0 2,3", "P b@0 1,5", "WM 9999")
                    .last()
                    .isEqualTo("WM 9999");
            // its window may have fired: passed on alone, with its own timestamp
            row(h, "a", 5_000, 10);
            assertThat(drain(h)).containsExactly("R a@5000");
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(drain(h)).containsExactly("P a@10000 1,3", "WM " + Long.MAX_VALUE);
        }
    }

    @Test
    void hoppingWindowsArePreAggregatedPerPane() throws Exception {
        // size 3 s, slide 2 s: panes of 1 s; [4, 5) lies in [2, 5) and [4, 7), [2, 5) ends first
        try (var h = harness(WindowSpec.hopping(Duration.ofSeconds(3), Duration.ofSeconds(2)), 9)) {
            row(h, "a", 4_100, 1);
            row(h, "a", 4_900, 2);
            row(h, "a", 5_000, 4); // the next pane
            h.processWatermark(new Watermark(4_998));
            assertThat(drain(h)).containsExactly("WM 4998");
            h.processWatermark(new Watermark(4_999));
            assertThat(drain(h)).containsExactly("P a@4000 2,3", "WM 4999");
            // [5, 6) is in [4, 7) and [5, 8)... its first window ends at 7 s
            h.processWatermark(new Watermark(6_999));
            assertThat(drain(h)).containsExactly("P a@5000 1,4", "WM 6999");
        }
    }

    @Test
    void aCheckpointBarrierFindsNothingHeld() throws Exception {
        try (var h = harness(WindowSpec.tumbling(Duration.ofSeconds(10)), 100)) {
            row(h, "a", 1_000, 1);
            row(h, "a", 2_000, 1);
            h.prepareSnapshotPreBarrier(1);
            OperatorSubtaskState state = h.snapshot(1, 1);
            assertThat(drain(h)).containsExactly("P a@0 2,2");
            assertThat(state.getManagedOperatorState()).isEmpty();
            assertThat(state.getManagedKeyedState()).isEmpty();
            row(h, "a", 3_000, 1);
            h.processWatermark(new Watermark(9_999));
            assertThat(drain(h))
                    .as("rows after the barrier")
                    .containsExactly("P a@0 1,1", "WM 9999");
        }
    }

    @Test
    void aFullCombinerSendsEverything() throws Exception {
        try (var h = harness(WindowSpec.tumbling(Duration.ofSeconds(10)), 2)) {
            row(h, "a", 1_000, 1);
            row(h, "a", 2_000, 1);
            assertThat(drain(h)).isEmpty();
            row(h, "b", 2_000, 7);
            assertThat(drain(h)).containsExactlyInAnyOrder("P a@0 2,2", "P b@0 1,7");
            row(h, "c", 3_000, 1);
            h.processWatermark(new Watermark(9_999));
            assertThat(drain(h)).containsExactly("P c@0 1,1", "WM 9999");
        }
    }

    @Test
    void anIdleInputSendsEverythingAndStopsCombining() throws Exception {
        try (var h = harness(WindowSpec.tumbling(Duration.ofSeconds(10)), 100)) {
            row(h, "a", 1_000, 1);
            row(h, "a", 2_000, 1);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(drain(h)).as("sent before the idle status").containsExactly("P a@0 2,2");
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            row(h, "a", 3_000, 1);
            row(h, "a", 4_000, 1);
            assertThat(drain(h))
                    .as("the window's watermark may be ahead now")
                    .containsExactly("R a@3000", "R a@4000");
        }
    }

    @Test
    void aRowWithoutTimestampIsPassedOnForTheWindowToReport() throws Exception {
        try (var h = harness(WindowSpec.tumbling(Duration.ofSeconds(10)), 100)) {
            h.processElement(new StreamRecord<>(Row.of("a", 1L, 1L)));
            assertThat(h.getOutput()).hasSize(1);
            @SuppressWarnings("unchecked")
            StreamRecord<Row> r = (StreamRecord<Row>) h.getOutput().poll();
            assertThat(r.hasTimestamp()).isFalse();
            assertThat(r.getValue().getField(2)).isEqualTo(Row.of("a", 1L, 1L));
        }
    }

    @Test
    void onlyExactlyMergingAggregatesAndWindowsWithPanesQualify() {
        var events = WindowedAggregationITCase.EVENTS;
        assertThat(
                        WindowedAggregation.preAggregation(
                                events,
                                List.of("account"),
                                WindowSpec.tumbling(Duration.ofMinutes(1)),
                                AGGS))
                .isEqualTo("pre-aggregated per key and 1m pane");
        assertThat(
                        WindowedAggregation.preAggregation(
                                events,
                                List.of("account"),
                                WindowSpec.hopping(Duration.ofMinutes(5), Duration.ofMinutes(2)),
                                List.of(
                                        AggregateSpec.min("lo", "account"),
                                        AggregateSpec.first("f", "fee", "block_time"),
                                        AggregateSpec.countDistinct(
                                                "d",
                                                "account",
                                                io.ipdm.operators.aggregate.Precision
                                                        .APPROXIMATE))))
                .isEqualTo("pre-aggregated per key and 1m pane");
        assertThat(
                        WindowedAggregation.preAggregation(
                                events,
                                List.of("account"),
                                WindowSpec.session(Duration.ofMinutes(1)),
                                AGGS))
                .isEqualTo("not pre-aggregated: session windows have no fixed panes");
        assertThat(
                        WindowedAggregation.preAggregation(
                                events,
                                List.of(),
                                WindowSpec.tumbling(Duration.ofMinutes(1)),
                                List.of(
                                        AggregateSpec.count("n"),
                                        AggregateSpec.quantiles(
                                                "q",
                                                "fee",
                                                List.of(0.5),
                                                io.ipdm.operators.aggregate.Precision
                                                        .APPROXIMATE))))
                .startsWith("not pre-aggregated: aggregates [q] do not merge exactly");
    }
}
