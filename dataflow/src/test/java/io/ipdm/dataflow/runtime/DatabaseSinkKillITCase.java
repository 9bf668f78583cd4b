package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import io.ipdm.dataflow.cluster.FlinkJvmCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
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
 * which equals the last firing of every window: nothing missing, nothing twice.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DatabaseSinkKillITCase {
    /**
     * {@link DatabaseSinkRuns#PIPELINE} unpaced, with late rows from the source itself (there is no
     * test hook in a separate process) and no restarts (the kill is the failure).
     */
    static final String PIPELINE =
            replace(
                    replace(
                            DatabaseSinkRuns.PIPELINE,
                            "target_rate: 6000,",
                            "target_rate: 0, late_fraction: 0.025, late_by: 100s,"),
                    "restart: {strategy: fixed-delay, attempts: 3, delay: 500ms}",
                    "restart: {strategy: none}");

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

    /** {@code ipdm run} in its own JVM, working directory {@code dir}. */
    private static Process ipdmRun(Path dir, Path job, String log, String... extra)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.addAll(FlinkJvmCommands.inheritedModuleFlags());
        cmd.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        IpdmCli.class.getName(),
                        "run",
                        job.toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    /**
     * Runs the job paced (so it lasts ~20 s) with its metrics endpoint set in the YAML, waits until
     * the database sink committed rows of a few checkpoints, then {@code kill -9}s it.
     */
    private static void killMidRun(Path dir, Path job) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p =
                ipdmRun(
                        dir,
                        job,
                        "first.log",
                        "-q",
                        "--set",
                        "runtime.metrics_port=" + port,
                        "--metrics-host",
                        "127.0.0.1",
                        "--set",
                        "sources.txs.options.target_rate=3000");
        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long committed = 0;
        while (committed < 100) {
            assertThat(p.isAlive())
                    .as("ipdm run ended before it was killed: %s", log(dir, "first.log"))
                    .isTrue();
            assertThat(System.nanoTime()).as("rows committed in time").isLessThan(deadline);
            try {
                String body =
                        http.send(
                                        HttpRequest.newBuilder(url).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                committed = sum(body, "_rowsCommitted");
            } catch (ConnectException notYet) {
                // the endpoint comes up with the embedded cluster
            }
            Thread.sleep(200);
        }
        assertThat(RetainedCheckpoints.latest(dir.resolve("state/checkpoints"))).isPresent();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    /** {@code ipdm run --from-latest-checkpoint} to the end. */
    private static void restart(Path dir, Path job) throws Exception {
        Path checkpoint =
                RetainedCheckpoints.latest(dir.resolve("state/checkpoints")).orElseThrow();
        Process p = ipdmRun(dir, job, "second.log", "--from-latest-checkpoint");
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("restarted run ended").isTrue();
        String log = log(dir, "second.log");
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("ipdm: resuming from checkpoint " + checkpoint);
    }

    /** The sum of every sample of the metrics whose name ends in {@code suffix}. */
    private static long sum(String body, String suffix) {
        long total = 0;
        for (String line : body.split("\n")) {
            int brace = line.indexOf('{');
            if (!line.startsWith("#") && brace > 0 && line.substring(0, brace).endsWith(suffix)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String log(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }
}
