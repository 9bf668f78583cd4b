package io.ipdm.operators.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.operators.aggregate.AggregateSpec;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.junit.jupiter.api.Test;

class WindowSpecTest {
    @Test
    void cumulativeWindowsCoverTheRestOfTheirPeriod() {
        CumulativeEventTimeWindows w = new CumulativeEventTimeWindows(3_000, 12_000);
        assertThat(w.assignWindows(null, 0, null))
                .containsExactly(
                        new TimeWindow(0, 3_000),
                        new TimeWindow(0, 6_000),
                        new TimeWindow(0, 9_000),
                        new TimeWindow(0, 12_000));
        assertThat(w.assignWindows(null, 2_999, null)).hasSize(4);
        assertThat(w.assignWindows(null, 3_000, null))
                .containsExactly(
                        new TimeWindow(0, 6_000),
                        new TimeWindow(0, 9_000),
                        new TimeWindow(0, 12_000));
        assertThat(w.assignWindows(null, 11_999, null)).containsExactly(new TimeWindow(0, 12_000));
        assertThat(w.assignWindows(null, 12_000, null))
                .first()
                .isEqualTo(new TimeWindow(12_000, 15_000));
        // before the epoch, periods stay aligned
        assertThat(w.assignWindows(null, -1, null)).containsExactly(new TimeWindow(-12_000, 0));
        assertThat(w.isEventTime()).isTrue();
    }

    @Test
    void invalidWindowsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> WindowSpec.tumbling(Duration.ZERO))
                .hasMessage("tumbling window: size must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofMinutes(2)))
                .hasMessage(
                        "hopping window: slide PT2M is larger than size PT1M (events would be skipped)");
        assertThatThrownBy(() -> WindowSpec.session(null))
                .hasMessage("session window: gap must be at least 1 ms, got null");
        assertThatThrownBy(
                        () -> WindowSpec.cumulative(Duration.ofSeconds(7), Duration.ofMinutes(1)))
                .hasMessage(
                        "cumulative window: max size PT1M must be a whole multiple of step PT7S");
        assertThatThrownBy(
                        () ->
                                WindowSpec.tumbling(Duration.ofSeconds(1))
                                        .withAllowedLateness(Duration.ofSeconds(-1)))
                .hasMessage("tumbling window: allowed lateness must not be negative, got PT-1S");
        assertThatThrownBy(
                        () ->
                                new WindowSpec(
                                        WindowSpec.Kind.TUMBLING,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        null))
                .hasMessage("tumbling window: takes no slide");
    }

    @Test
    void aggregationErrorsNameTheProblem() {
        assertThatThrownBy(
                        () ->
                                WindowedAggregation.outputType(
                                        WindowedAggregationITCase.EVENTS,
                                        List.of("acount"),
                                        List.of(AggregateSpec.count("n"))))
                .hasMessage("unknown key field 'acount'; known fields: account, block_time, fee");
        assertThatThrownBy(
                        () ->
                                WindowedAggregation.outputType(
                                        WindowedAggregationITCase.EVENTS,
                                        List.of("account"),
                                        List.of()))
                .hasMessage("a windowed aggregation needs at least one aggregate");
        assertThatThrownBy(
                        () ->
                                WindowedAggregation.outputType(
                                        WindowedAggregationITCase.EVENTS,
                                        List.of("account"),
                                        List.of(AggregateSpec.count("account"))))
                .hasMessage(
                        "aggregate 'account': the output name is already used by a key, window bound or other aggregate");
        assertThatThrownBy(
                        () ->
                                WindowedAggregation.outputType(
                                        WindowedAggregationITCase.EVENTS,
                                        List.of(),
                                        List.of(
                                                AggregateSpec.count("n"),
                                                AggregateSpec.sum("window_end", "fee"))))
                .hasMessage(
                        "aggregate 'window_end': the output name is already used by a key, window bound or other aggregate");
        assertThat(
                        WindowedAggregation.outputType(
                                        WindowedAggregationITCase.EVENTS,
                                        List.of(),
                                        List.of(AggregateSpec.count("n")))
                                .toString())
                .isEqualTo("Row(window_start: Long, window_end: Long, n: Long)");
    }
}
