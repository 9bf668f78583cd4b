package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.RunCounters.Tracked;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The end-of-run summary counts rows a source dropped by a pushed-down filter as read; archives
 * read in order (no range reads) are warned about.
 */
class ProgressSummaryTest {
    @Test
    void rowsDroppedInTheSourceCountAsReadAndAreSaid() {
        JobMetrics.Snapshot s =
                new JobMetrics.Snapshot(
                        new RunCounters.Counts(
                                Map.of(
                                        Tracked.SOURCE_ROWS,
                                        Map.of("txs", 300L),
                                        Tracked.SOURCE_FILTERED,
                                        Map.of("txs", 700L),
                                        Tracked.SINK_ROWS,
                                        Map.of("table", 12L))),
                        Map.of("table", "terminal"),
                        0,
                        0,
                        0);
        assertThat(s.recordsIn()).isEqualTo(1000);
        assertThat(s.sources()).containsExactly(new JobMetrics.Count("txs", 1000));
        assertThat(Progress.summary(s, 2.0))
                .startsWith("ipdm: 1,000 rows read in 2.0 s (500 rows/s)")
                .contains(
                        "ipdm:   source txs: 700 of its rows dropped as it read them, by the filter"
                                + " pushed down into it")
                .contains("ipdm:   sink table: 12 rows -> terminal");
    }

    @Test
    void archivesReadInOrderAreWarnedAbout() {
        JobMetrics.Snapshot s =
                new JobMetrics.Snapshot(
                        new RunCounters.Counts(
                                Map.of(
                                        Tracked.SOURCE_ROWS,
                                        Map.of("txs", 300L, "other", 5L),
                                        Tracked.ARCHIVES_IN_ORDER,
                                        Map.of("txs", 1L, "other", 0L))),
                        Map.of(),
                        0,
                        0,
                        0);
        assertThat(Progress.warnings(s))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(
                        "ipdm: warning: source 'txs' read an archive as one stream in order, not"
                                + " range-parallel: the server has no range reads");
    }
}
