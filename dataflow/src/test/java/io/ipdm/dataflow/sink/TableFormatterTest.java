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
}
