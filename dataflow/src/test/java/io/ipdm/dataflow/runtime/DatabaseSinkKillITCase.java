package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import io.ipdm.dataflow.testing.IpdmProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * For each database, a window job with late rows (the synthetic source's {@code late_fraction}:
 * windows re-fire as updates) runs as a real, separate {@code ipdm run} process, is killed with
 * {@code kill -9} by its pid once the sink has committed some checkpoints (seen on the job's
 * Prometheus endpoint, set by {@code runtime.metrics_port}), and is started again with {@code
 * --from-latest-checkpoint}. The table then equals that of an uninterrupted run of the same file,
 * which equals the last firing of every window: nothing missing, nothing twice. The harness is
 * {@link IpdmProcess}, shared with the jobs module's backfill kill test.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DatabaseSinkKillITCase {
    /**
     * {@link DatabaseSinkRuns#PIPELINE} unpaced, with late rows from the source itself (there is no
     * test hook in a separate process), per-event watermarks and no restarts (the kill is the
     * failure).
     */
    static final String PIPELINE =
            replace(
                    replace(
                            replace(
                                    DatabaseSinkRuns.PIPELINE,
                                    "target_rate: 6000,",
                                    "target_rate: 0, late_fraction: 0.025, late_by: 100s,"),
                            "restart: {strategy: fixed-delay, attempts: 3, delay: 500ms}",
                            "restart: {strategy: none}"),
                    // Unpaced, a run can end before a periodic watermark closed the windows the
                    // late rows belong to; per-event watermarks make them re-fire on any machine.
                    "max_out_of_orderness: 2s}",
                    "max_out_of_orderness: 2s, watermarks: per_event}");

    private static String replace(String s, String what, String with) {
        assertThat(s).contains(what);
        return s.replace(what, with);
    }

    static LocalPostgres pg;

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void postgresTableAfterKillAndRestartEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        pg = LocalPostgres.start(false);
        String options =
                "url: \"%s\", table: %s, user: %s, password: \"%s\", batch_size: 100"
                        .formatted(pg.url(), "%s", LocalPostgres.USER, LocalPostgres.PASSWORD);
        List<String> expected =
                uninterrupted(tmp.resolve("whole"), "postgres", options.formatted("whole"));
        try (Connection c = pg.connect()) {
            assertThat(DatabaseSinkRuns.table(c, "whole")).isEqualTo(expected);
        }
        Path dir = tmp.resolve("killed");
        Path job = write(dir, "postgres", options.formatted("killed"));
        killMidRun(dir, job);
        try (Connection c = pg.connect()) {
            assertThat(DatabaseSinkRuns.table(c, "killed"))
                    .as("the kill came before the end")
                    .isNotEmpty()
                    .isNotEqualTo(expected);
        }
        restart(dir, job);
        try (Connection c = pg.connect()) {
            assertThat(DatabaseSinkRuns.table(c, "killed")).isEqualTo(expected);
            assertThat(DatabaseSinkRuns.stagingTables(c))
                    .as("the killed run's staging table dropped by the restarted one")
                    .isEmpty();
        }
    }

    @Test
    void duckDbFileAfterKillAndRestartEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        String options = "path: \"DIR/results.duckdb\", table: activity";
        List<String> expected = uninterrupted(tmp.resolve("whole"), "duckdb", options);
        assertThat(duckDb(tmp.resolve("whole/results.duckdb"))).isEqualTo(expected);
        Path dir = tmp.resolve("killed");
        Path job = write(dir, "duckdb", options);
        killMidRun(dir, job);
        assertThat(duckDb(dir.resolve("results.duckdb")))
                .as("the kill came before the end")
                .isNotEmpty()
                .isNotEqualTo(expected);
        restart(dir, job);
        assertThat(duckDb(dir.resolve("results.duckdb"))).isEqualTo(expected);
        try (Connection c =
                DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("results.duckdb"))) {
            assertThat(DatabaseSinkRuns.stagingTables(c))
                    .as("the killed run's staging table dropped by the restarted one")
                    .isEmpty();
        }
    }

    private static List<String> duckDb(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            return DatabaseSinkRuns.table(c, "activity");
        }
    }

    private static Path write(Path dir, String kind, String options) throws Exception {
        Files.createDirectories(dir);
        Path job = dir.resolve("job.yaml");
        Files.writeString(
                job,
                PIPELINE.replace("KIND", kind)
                        .replace("OPTIONS", options)
                        .replace("${OUT}", dir.resolve("out").toAbsolutePath().toString())
                        .replace("${STATE}", dir.resolve("state").toAbsolutePath().toString())
                        .replace("DIR", dir.toAbsolutePath().toString()));
        return job;
    }

    /**
     * The table of {@code ipdm run} (in this JVM) to the end, checked against the last firing of
     * every window in the JSON Lines output (which also asserts that windows re-fired).
     */
    private static List<String> uninterrupted(Path dir, String kind, String options)
            throws Exception {
        Path job = write(dir, kind, options);
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("run", job.toString(), "-q")).as(err::toString).isZero();
        return DatabaseSinkRuns.lastFirings(dir.resolve("out"));
    }

    /**
     * Runs the job paced (so it lasts ~60 s: a loaded machine still commits before the end), waits
     * until the database sink committed rows of a few checkpoints (its Prometheus endpoint), then
     * {@code kill -9}s it.
     */
    private static void killMidRun(Path dir, Path job) throws Exception {
        IpdmProcess.killMidRun(
                dir,
                job,
                dir.resolve("state/checkpoints"),
                "_rowsCommitted",
                100,
                "--set",
                "sources.txs.options.target_rate=1000");
    }

    /** {@code ipdm run --from-latest-checkpoint} to the end. */
    private static void restart(Path dir, Path job) throws Exception {
        IpdmProcess.restart(dir, job, dir.resolve("state/checkpoints"));
    }
}
