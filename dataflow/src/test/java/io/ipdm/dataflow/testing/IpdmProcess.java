package io.ipdm.dataflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import io.ipdm.dataflow.cluster.FlinkJvmCommands;
import io.ipdm.dataflow.runtime.RetainedCheckpoints;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kill -9 harness: {@code ipdm run} as a real, separate JVM (this test's classpath), its
 * metrics endpoint polled until the job has done enough, then killed with {@code kill -9} by pid
 * and started again with {@code --from-latest-checkpoint}. The job's YAML sets {@code
 * runtime.state_dir} to {@code STATE} below the working directory so the checkpoints are found.
 */
public final class IpdmProcess {
    private IpdmProcess() {}

    /**
     * {@code ipdm run JOB EXTRA...} in its own JVM, working directory {@code dir}, output to log.
     */
    public static Process run(Path dir, Path job, String log, String... extra) throws IOException {
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

    /** A free loopback port for {@code runtime.metrics_port}. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts {@code ipdm run} with its metrics on a free port, waits until the sum of the metrics
     * ending in {@code metric} reaches {@code atLeast} and a checkpoint is retained under {@code
     * checkpoints}, then kills it with {@code kill -9}. Fails if the run ends first.
     */
    public static void killMidRun(
            Path dir, Path job, Path checkpoints, String metric, long atLeast, String... extra)
            throws Exception {
        int port = freePort();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-q",
                                "--set",
                                "runtime.metrics_port=" + port,
                                "--metrics-host",
                                "127.0.0.1"));
        args.addAll(List.of(extra));
        Process p = run(dir, job, "first.log", args.toArray(String[]::new));
        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long seen = 0;
        while (seen < atLeast || RetainedCheckpoints.latest(checkpoints).isEmpty()) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "ipdm run ended (exit %d) before it was killed, with %s at %d of %d and %s"
                                        .formatted(
                                                p.exitValue(),
                                                metric,
                                                seen,
                                                atLeast,
                                                RetainedCheckpoints.latest(checkpoints).isEmpty()
                                                        ? "no checkpoint retained"
                                                        : "a checkpoint retained")
                                + "; its output: "
                                + log(dir, "first.log"));
            }
            assertThat(System.nanoTime())
                    .as("%s reached %d in time (at %d)", metric, atLeast, seen)
                    .isLessThan(deadline);
            try {
                String body =
                        http.send(
                                        HttpRequest.newBuilder(url).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                seen = sum(body, metric);
            } catch (ConnectException notYet) {
                // the endpoint comes up with the embedded cluster
            }
            Thread.sleep(200);
        }
        kill9(p);
    }

    /** {@code kill -9 PID}, then waits for the process to be gone. */
    public static void kill9(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    /**
     * {@code ipdm run JOB --from-latest-checkpoint} to the end; asserts it exited 0 and said it
     * resumed from the latest checkpoint under {@code checkpoints}. Returns its output.
     */
    public static String restart(Path dir, Path job, Path checkpoints, String... extra)
            throws Exception {
        Path checkpoint = RetainedCheckpoints.latest(checkpoints).orElseThrow();
        List<String> args = new ArrayList<>(List.of("--from-latest-checkpoint"));
        args.addAll(List.of(extra));
        Process p = run(dir, job, "second.log", args.toArray(String[]::new));
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("restarted run ended").isTrue();
        String log = log(dir, "second.log");
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("ipdm: resuming from checkpoint " + checkpoint);
        return log;
    }

    /** The sum of every sample of the Prometheus metrics whose name ends in {@code suffix}. */
    public static long sum(String body, String suffix) {
        long total = 0;
        for (String line : body.split("\n")) {
            int brace = line.indexOf('{');
            if (!line.startsWith("#") && brace > 0 && line.substring(0, brace).endsWith(suffix)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String log(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }
}
