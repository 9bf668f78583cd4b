package io.ipdm.dataflow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

class TableFormatterTest {
    private static final TableFormatter FORMATTER =
            new TableFormatter(
                    "per_minute",
                    List.of("program_id", "window_start", "window_end", "txs"),
                    "txs",
                    0);

    @Test
    void oneWindowAsATable() {
        assertThat(
                        FORMATTER.format(
                                List.of(
                                        Row.of("a", 0L, 60_000L, 3L),
                                        Row.of("bb", 0L, 60_000L, 12L))))
                .isEqualTo(
                        """
                        == per_minute | window 1970-01-01 00:00:00 .. 1970-01-01 00:01:00 UTC | 2 rows
                          program_id  txs
                          bb           12
                          a             3
                        """);
    }

    @Test
    void tiesAreBrokenByTheOtherColumnsWhateverTheArrivalOrder() {
        // the top 2 of each window by txs: "a" and "c" tie for second place
        TableFormatter top2 =
                new TableFormatter(
                        "per_minute",
                        List.of("program_id", "window_start", "window_end", "txs"),
                        "txs",
                        2);
        List<Row> rows =
                List.of(
                        Row.of("c", 0L, 60_000L, 5L),
                        Row.of("a", 0L, 60_000L, 5L),
                        Row.of(null, 0L, 60_000L, 5L),
                        Row.of("b", 0L, 60_000L, 7L));
        String expected =
                """
                == per_minute | window 1970-01-01 00:00:00 .. 1970-01-01 00:01:00 UTC | 4 rows, top 2 by txs
                  program_id  txs
                  b             7
                  -             5
                """;
        assertThat(top2.format(rows)).isEqualTo(expected);
        assertThat(top2.format(rows.reversed())).isEqualTo(expected);
        List<Row> named = rows.subList(0, 2);
        assertThat(FORMATTER.format(named)).isEqualTo(FORMATTER.format(named.reversed()));
        assertThat(FORMATTER.format(named)).containsSubsequence("  a ", "  c ");
    }

    @Test
    void rowsUpdatedByLateEventsAreMarked() {
        Row update = Row.ofKind(RowKind.UPDATE_AFTER, "a", 0L, 60_000L, 4L);
        assertThat(FORMATTER.format(List.of(update)))
                .isEqualTo(
                        """
                        == per_minute | window 1970-01-01 00:00:00 .. 1970-01-01 00:01:00 UTC | 1 row (1 updated by late rows)
                                  program_id  txs
                          update  a             4
                        """);
    }

    /** Sessions closing together share a table; top ranks within each session, not over all. */
    @Test
    void topRanksWithinEachWindowOfATable() {
        TableFormatter top1 =
                new TableFormatter(
                        "sessions",
                        List.of("payer", "window_start", "window_end", "txs"),
                        "txs",
                        1);
        assertThat(
                        top1.format(
                                List.of(
                                        Row.of("a", 0L, 60_000L, 30L),
                                        Row.of("b", 0L, 60_000L, 20L),
                                        Row.of("c", 10_000L, 120_000L, 1L),
                                        Row.of("d", 10_000L, 120_000L, 2L))))
                .isEqualTo(
                        """
                        == sessions | 4 rows, top 1 per window by txs
                          payer  window_start         window_end           txs
                          a      1970-01-01 00:00:00  1970-01-01 00:01:00   30
                          d      1970-01-01 00:00:10  1970-01-01 00:02:00    2
                        """);
    }
}
