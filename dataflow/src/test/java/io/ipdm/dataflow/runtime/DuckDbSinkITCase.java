package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duckdb sink into a database file: a window job with late-row updates writes each window once
 * with its final value, and the same job failing mid-run and restarting from its checkpoint leaves
 * the table equal to the uninterrupted run's. The file is read back with a fresh DuckDB connection
 * after the job, as {@code duckdb FILE} would.
 */
class DuckDbSinkITCase {
    @TempDir static Path shared;
    static List<String> uninterrupted;

    static List<String> table(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            assertThat(DatabaseSinkRuns.stagingTables(c)).isEmpty();
            return DatabaseSinkRuns.table(c, "activity");
        }
    }

    @BeforeAll
    static void runUninterrupted() throws Exception {
        Path out = shared.resolve("whole");
        PipelineLoader.Loaded loaded =
                DatabaseSinkRuns.load(
                        "duckdb",
                        "path: \"" + out.resolve("results.duckdb") + "\", table: activity",
                        out,
                        shared.resolve("state-a"));
        RunResult r = DatabaseSinkRuns.run(loaded, s -> DatabaseSinkRuns.lateRows(s, 0), shared);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        uninterrupted = table(out.resolve("results.duckdb"));
        assertThat(uninterrupted).hasSizeGreaterThan(20);
        assertThat(uninterrupted).isEqualTo(DatabaseSinkRuns.lastFirings(out));
    }

    @Test
    void failureMidRunRestartsFromCheckpointWithTheSameTable(@TempDir Path tmp) throws Exception {
        FailOnce.arm();
        Path file = tmp.resolve("out/results.duckdb");
        PipelineLoader.Loaded loaded =
                DatabaseSinkRuns.load(
                        "duckdb",
                        "path: \"" + file + "\", table: activity",
                        tmp.resolve("out"),
                        tmp.resolve("state"));
        RunResult r = DatabaseSinkRuns.run(loaded, s -> DatabaseSinkRuns.lateRows(s, 15_000), tmp);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(FailOnce.failed()).isTrue();
        assertThat(table(file)).isEqualTo(uninterrupted);
    }
}
