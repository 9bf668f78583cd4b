package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * The progress line's rates: over the last few seconds, and never negative when a restart sets the
 * tasks' counters back (the restarted tasks count again from zero).
 */
class ProgressRatesTest {
    @Test
    void ratesOverTheWindow() {
        Deque<long[]> samples = new ArrayDeque<>();
        assertThat(Progress.rates(samples, 1_000, 0, 0)).containsExactly(0, 0);
        assertThat(Progress.rates(samples, 2_000, 500, 100)).containsExactly(500, 100);
        assertThat(Progress.rates(samples, 3_000, 1_500, 300)).containsExactly(750, 150);
        // the first sample leaves the 3 s window
        assertThat(Progress.rates(samples, 5_000, 2_500, 500))
                .containsExactly(2_000 / 3.0, 400 / 3.0);
    }

    @Test
    void aRestartStartsTheWindowOverInsteadOfAGoingNegative() {
        Deque<long[]> samples = new ArrayDeque<>();
        Progress.rates(samples, 1_000, 0, 0);
        Progress.rates(samples, 2_000, 40_000, 9_000);
        // the job restarted from a checkpoint: its counters begin again
        assertThat(Progress.rates(samples, 3_000, 1_000, 0)).containsExactly(0, 0);
        assertThat(Progress.rates(samples, 4_000, 3_000, 500)).containsExactly(2_000, 500);
        // only the out side went back (a sink's task restarted)
        double[] r = Progress.rates(samples, 5_000, 4_000, 100);
        assertThat(r[0]).isNotNegative();
        assertThat(r[1]).isNotNegative();
    }
}
