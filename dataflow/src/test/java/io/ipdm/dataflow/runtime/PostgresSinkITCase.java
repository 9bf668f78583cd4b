package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postgres sink on a real PostgreSQL server: a window job with late-row updates writes each
 * window once with its final value (equal to the last firing in the JSON Lines output), and the
 * same job failing mid-run and restarting from its checkpoint leaves the table equal to the
 * uninterrupted run's.
 */
class PostgresSinkITCase {
    @TempDir static Path shared;
    static LocalPostgres pg;
    static List<String> uninterrupted;

    static String options(String table) {
        return "url: \""
                + pg.url()
                + "\", table: "
                + table
                + ", user: "
                + LocalPostgres.USER
                + ", password: \""
                + LocalPostgres.PASSWORD
                + "\", batch_size: 100";
    }

    @BeforeAll
    static void runUninterrupted() throws Exception {
        pg = LocalPostgres.start(false);
        Path out = shared.resolve("whole");
        PipelineLoader.Loaded loaded =
                DatabaseSinkRuns.load(
                        "postgres", options("activity_whole"), out, shared.resolve("state-a"));
        RunResult r = DatabaseSinkRuns.run(loaded, s -> DatabaseSinkRuns.lateRows(s, 0), shared);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        try (Connection c = pg.connect()) {
            uninterrupted = DatabaseSinkRuns.table(c, "activity_whole");
            assertThat(DatabaseSinkRuns.stagingTables(c)).isEmpty();
        }
        assertThat(uninterrupted).hasSizeGreaterThan(20);
        assertThat(uninterrupted).isEqualTo(DatabaseSinkRuns.lastFirings(out));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void failureMidRunRestartsFromCheckpointWithTheSameTable(@TempDir Path tmp) throws Exception {
        FailOnce.arm();
        PipelineLoader.Loaded loaded =
                DatabaseSinkRuns.load(
                        "postgres",
                        options("activity_failing"),
                        tmp.resolve("out"),
                        tmp.resolve("state"));
        RunResult r = DatabaseSinkRuns.run(loaded, s -> DatabaseSinkRuns.lateRows(s, 15_000), tmp);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(FailOnce.failed()).isTrue();
        try (Connection c = pg.connect()) {
            assertThat(DatabaseSinkRuns.table(c, "activity_failing")).isEqualTo(uninterrupted);
            assertThat(DatabaseSinkRuns.stagingTables(c)).isEmpty();
        }
    }

    /**
     * Two different jobs (another chain, so other windows) write one table under one sink id at the
     * same time: their staging tables are scoped to each job's identity, so neither writes into nor
     * drops the other's, and the table holds the last firing of every window of both.
     */
    @Test
    void twoJobsOnOneTableAndSinkIdBothCommitEveryRow(@TempDir Path tmp) throws Exception {
        List<CompiledPipeline> jobs = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (String start : List.of("300000000", "301000000")) {
            Path out = tmp.resolve("out-" + start);
            outs.add(out);
            jobs.add(
                    CompiledPipeline.compile(
                            DatabaseSinkRuns.load(
                                    "postgres",
                                    options("activity_shared"),
                                    out,
                                    tmp.resolve("state-" + start),
                                    List.of("sources.txs.options.start_slot=" + start)),
                            tmp,
                            s -> DatabaseSinkRuns.lateRows(s, 0)));
        }
        assertThat(jobs.get(0).identity().cid()).isNotEqualTo(jobs.get(1).identity().cid());
        List<LocalRunner> runners = new ArrayList<>();
        try {
            for (CompiledPipeline job : jobs) {
                LocalRunner r = new LocalRunner(job, RunOptions.defaults().withProgress(false));
                runners.add(r);
                r.start();
            }
            for (LocalRunner r : runners) {
                RunResult result = r.await();
                assertThat(result.outcome())
                        .as("failure: %s", result.failure())
                        .isEqualTo(RunResult.Outcome.FINISHED);
            }
        } finally {
            for (LocalRunner r : runners) {
                r.close();
            }
        }
        List<String> expected = new ArrayList<>();
        for (Path out : outs) {
            List<String> last = DatabaseSinkRuns.lastFirings(out);
            assertThat(last).hasSizeGreaterThan(20);
            expected.addAll(last);
        }
        try (Connection c = pg.connect()) {
            assertThat(DatabaseSinkRuns.table(c, "activity_shared"))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(DatabaseSinkRuns.stagingTables(c)).isEmpty();
        }
    }
}
