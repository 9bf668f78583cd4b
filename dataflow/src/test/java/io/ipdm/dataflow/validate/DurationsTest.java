package io.ipdm.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsUnitsAndSums() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse(" 2h ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d1ms")).isEqualTo(Duration.ofDays(1).plusMillis(1));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("36500d")).isEqualTo(Durations.MAX);
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String s : new String[] {"", "ms", "1", "1x", "1 minute", "-1s", "1ms1", "1.5s"}) {
            assertThat(Durations.parse(s)).as(s).isNull();
            assertThat(Durations.problem(s)).as(s).isEqualTo(Durations.EXPECTED);
        }
    }

    @Test
    void longerThanTheMaximumIsAProblemNotAnOverflow() {
        for (String s :
                new String[] {
                    "36501d",
                    "36500d1ms",
                    "999999999999d",
                    "9223372036854775807ms1d",
                    "99999999999999999999999999999s",
                    "9223372036854775807d9223372036854775807d"
                }) {
            assertThat(Durations.parse(s)).as(s).isNull();
            assertThat(Durations.problem(s))
                    .as(s)
                    .isEqualTo("longer than the maximum duration, 36500d (100 years)");
        }
        // a syntax error after an overflowing part is still a syntax error
        assertThat(Durations.problem("999999999999999999999d1x")).isEqualTo(Durations.EXPECTED);
    }

    @Test
    void formatReadsBack() {
        for (String s : new String[] {"0s", "1ms", "1m30s", "1d2h3m4s5ms", "36500d"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }

    @Test
    void windowsPerRowAreLimited() {
        assertThat(Durations.tooManyWindows(Duration.ofHours(1), Duration.ofSeconds(1), "slide"))
                .isNull(); // 3600 windows
        assertThat(Durations.tooManyWindows(Duration.ofSeconds(10), Duration.ofMillis(1), "step"))
                .isNull(); // exactly 10000
        assertThat(
                        Durations.tooManyWindows(
                                Duration.ofSeconds(10), Duration.ofNanos(999_999), "step"))
                .isNull(); // sub-millisecond slides are refused elsewhere, never divided by 0
        assertThat(Durations.tooManyWindows(Duration.ofDays(1), Duration.ofMillis(1), "slide"))
                .isEqualTo(
                        "each row would fall into 86400000 windows (size 1d / slide 1ms); the limit"
                                + " is 10000, so make slide at least 8s640ms");
    }
}
