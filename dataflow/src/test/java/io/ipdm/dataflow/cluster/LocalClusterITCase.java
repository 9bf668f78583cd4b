package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A real two-TaskManager session cluster (three JVMs from Flink's entrypoints, TaskManagers with
 * the GraalWasm optimizing-runtime flags) shared by the tests of this class, which is started once
 * because it is expensive. Every job is a YAML pipeline submitted the way {@code ipdm submit} does
 * it and compared with an uninterrupted {@code ipdm run} of the same file on the embedded
 * MiniCluster. Every process is stopped by its pid in {@link #stopCluster}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalClusterITCase {

    /** Synthetic source paced to ~15 s, 30 s tumbling windows per fee payer, JSON Lines files. */
    static final String WINDOWED_YAML = "src/test/resources/cluster/program-activity.yaml";

    private static final String WASM_YAML = "../jobs/solana-priority-fees.yaml";
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final PrintWriter LOG = new PrintWriter(System.out, true);

    private static Path stateDir;
    private static LocalCluster cluster;
    private static List<String> uninterrupted;

    @BeforeAll
    static void startCluster() throws IOException {
        stateDir = Path.of("target", "cluster-itcase").toAbsolutePath();
        deleteRecursively(stateDir);
        // this JVM's classpath, module flags and Graal compiler jars (surefire passes them)
        ClusterSpec spec = ClusterSpec.forThisJvm(2, 1, stateDir, 0).withMemory("1g", "768m");
        cluster = LocalCluster.start(spec, Map.of(), LOG, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        } else if (stateDir != null) {
            LocalCluster.stopAll(new ClusterLayout(stateDir));
        }
        assertThat(new ClusterLayout(stateDir).pidDir()).isEmptyDirectory();
    }

    @Test
    @Order(1)
    void clusterHasTwoTaskManagersAndIpdmClasspath() {
        assertThat(cluster.overview().getNumTaskManagersConnected()).isEqualTo(2);
        assertThat(cluster.processes())
                .extracting(LocalCluster.ProcessState::name)
                .containsExactly("jobmanager", "taskmanager-1", "taskmanager-2");
        assertThat(cluster.processes()).allMatch(LocalCluster.ProcessState::alive);
        assertThat(new JobSubmitter(cluster.restAddress(), LOG).clusterHasIpdmClasspath()).isTrue();
    }

    @Test
    @Order(2)
    void killedTaskManagerIsReplacedWithoutLosingOrDuplicatingResults() throws Exception {
        List<String> expected = uninterrupted(); // first: the paced job must still run below
        Path run = stateDir.resolve("failover");
        Path out = run.resolve("out");
        assertThat(cli(submit(WINDOWED_YAML, run, "--detached"))).isEqualTo(IpdmCli.OK);
        JobID id = newestJob();
        CommittedLines.awaitCheckpoint(run.resolve("state/checkpoints"), id, WAIT);
        // kill mid-run: after some results were committed, before all of them were
        CommittedLines.await(out, WAIT);
        assertThat(CommittedLines.of(out).size()).isLessThan(expected.size());

        assertThat(cluster.killTaskManager("taskmanager-2")).isTrue();
        assertThat(cluster.startTaskManager()).isEqualTo("taskmanager-3");

        JobSubmitter submitter = new JobSubmitter(cluster.restAddress(), LOG);
        assertThat(submitter.await(id, Duration.ofMinutes(2)).getJobStatus())
                .contains(JobStatus.FINISHED);
        assertThat(CommittedLines.of(out)).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(3)
    void resumesFromSavepointAtDifferentParallelismWithSameResults() throws Exception {
        List<String> expected = uninterrupted(); // first: the paced job must still run below
        Path run = stateDir.resolve("rescale");
        Path out = run.resolve("out");
        assertThat(cli(submit(WINDOWED_YAML, run, "--detached"))).isEqualTo(IpdmCli.OK);
        JobID first = newestJob();
        CommittedLines.awaitCheckpoint(run.resolve("state/checkpoints"), first, WAIT);
        CommittedLines.await(out, WAIT);
        String savepoint;
        try (JobOperations jobs = new JobOperations(cluster.restAddress())) {
            savepoint = jobs.stopWithSavepoint(first, Optional.empty());
        }
        JobSubmitter submitter = new JobSubmitter(cluster.restAddress(), LOG);
        assertThat(submitter.await(first, WAIT).getJobStatus()).contains(JobStatus.FINISHED);
        // `ipdm jobs stop` without --savepoint-dir: the cluster's default
        assertThat(Path.of(URI.create(savepoint))).startsWith(cluster.layout().savepointDir());
        assertThat(CommittedLines.of(out).size()).isLessThan(expected.size());

        // attached: exit code 0 once the resumed job finished
        assertThat(
                        cli(
                                submit(
                                        WINDOWED_YAML,
                                        run,
                                        "--from-savepoint",
                                        savepoint,
                                        "--set",
                                        "runtime.parallelism=1")))
                .isEqualTo(IpdmCli.OK);
        assertThat(CommittedLines.of(out)).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(4)
    void wasmJobRunsOnTheOptimizingRuntimeOfTheTaskManagers() throws IOException {
        List<String> tmCommand =
                Files.readAllLines(cluster.layout().confDir().resolve("taskmanager.args"));
        assertThat(tmCommand)
                .as("TaskManager command line")
                .contains("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI")
                .anyMatch(
                        a ->
                                a.startsWith("--upgrade-module-path=")
                                        && a.endsWith("graal-compiler"));
        String[] shorter = {
            "--set", "sources.txs.options.duration=30s",
            "--set", "sources.txs.options.target_rate=0",
            "--set", "sinks.table.kind=jsonl"
        };
        Path onCluster = stateDir.resolve("wasm-cluster");
        Path embedded = stateDir.resolve("wasm-embedded");
        assertThat(cli(concat(submit(WASM_YAML, onCluster), shorter))).isEqualTo(IpdmCli.OK);
        assertThat(cli(concat(run(WASM_YAML, embedded), shorter))).isEqualTo(IpdmCli.OK);

        List<String> tmLogs = new ArrayList<>();
        for (LocalCluster.ProcessState p : cluster.processes()) {
            if (p.name().startsWith("taskmanager-")) {
                tmLogs.add(Files.readString(cluster.layout().logFile(p.name())));
            }
        }
        assertThat(tmLogs)
                .as("TaskManager logs: GraalWasm must not fall back to the Truffle interpreter")
                .noneMatch(log -> log.contains("GraalWasm runs on the Truffle INTERPRETER"))
                .anyMatch(log -> log.contains("GraalWasm runs on the optimizing Truffle runtime"));
        assertThat(CommittedLines.of(onCluster.resolve("out")))
                .isNotEmpty()
                .isEqualTo(CommittedLines.of(embedded.resolve("out")));
    }

    /**
     * {@code ipdm submit --metrics-port}: while the command follows the job, its endpoint serves
     * the job's record counters (read from the JobManager's REST API) under {@code ipdm run}'s
     * names, rising between scrapes, and the job's checkpoint count; the job's results are those of
     * {@code ipdm run}.
     */
    @Test
    @Order(5)
    void submitServesTheJobsMetricsWhileFollowingIt() throws Exception {
        List<String> expected = uninterrupted();
        Path run = stateDir.resolve("metrics");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.util.concurrent.CompletableFuture<Integer> submitted =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () ->
                                cli(
                                        submit(
                                                WINDOWED_YAML,
                                                run,
                                                "--metrics-port",
                                                Integer.toString(port),
                                                "--metrics-host",
                                                "127.0.0.1")));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        URI url = URI.create("http://127.0.0.1:" + port + "/metrics");
        List<Long> seen = new ArrayList<>();
        String last = "";
        while (!submitted.isDone()) {
            try {
                last =
                        http.send(
                                        java.net.http.HttpRequest.newBuilder(url).build(),
                                        java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body();
                long out = sourceRecordsOut(last);
                if (out > 0 && (seen.isEmpty() || out != seen.get(seen.size() - 1))) {
                    seen.add(out);
                }
                if (last.contains("flink_jobmanager_job_numberOfCompletedCheckpoints{")
                        && seen.size() >= 3) {
                    break;
                }
            } catch (java.net.ConnectException notYet) {
                // the endpoint starts once the job is submitted
            }
            Thread.sleep(300);
        }
        assertThat(seen)
                .as("source numRecordsOut per scrape; last:%n%s", last)
                .hasSizeGreaterThanOrEqualTo(3)
                .isSorted();
        assertThat(last)
                .contains("job_name=\"cluster-program-activity\"")
                .contains("# TYPE flink_taskmanager_job_task_numRecordsOut gauge")
                .containsPattern(
                        "flink_jobmanager_job_numberOfCompletedCheckpoints\\{[^}]*} [1-9]");
        assertThat(submitted.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(IpdmCli.OK);
        assertThat(CommittedLines.of(run.resolve("out"))).containsExactlyElementsOf(expected);
    }

    /** The sum over subtasks of the source task's numRecordsOut in a scrape. */
    private static long sourceRecordsOut(String body) {
        long sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("flink_taskmanager_job_task_numRecordsOut{")
                    && line.contains("task_name=\"Source: txs")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The windowed job's result without disturbance: {@code ipdm run}, unpaced. */
    private static synchronized List<String> uninterrupted() {
        if (uninterrupted == null) {
            Path dir = stateDir.resolve("uninterrupted");
            assertThat(
                            cli(
                                    concat(
                                            run(WINDOWED_YAML, dir),
                                            // pacing only: the synthetic rows do not depend on it
                                            "--set",
                                            "sources.txs.options.target_rate=0")))
                    .isEqualTo(IpdmCli.OK);
            uninterrupted = CommittedLines.of(dir.resolve("out"));
            assertThat(uninterrupted).hasSizeGreaterThan(100);
        }
        return uninterrupted;
    }

    private static String[] submit(String yaml, Path dir, String... more) {
        return concat(
                new String[] {
                    "submit",
                    yaml,
                    "--jobmanager",
                    cluster.restAddress().toString(),
                    "--set",
                    "sinks.0.options.path=" + dir.resolve("out"),
                    "--set",
                    "runtime.state_dir=" + dir.resolve("state")
                },
                more);
    }

    private static String[] run(String yaml, Path dir) {
        return new String[] {
            "run",
            yaml,
            "-q",
            "--set",
            "sinks.0.options.path=" + dir.resolve("out"),
            "--set",
            "runtime.state_dir=" + dir.resolve("state")
        };
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static JobID newestJob() {
        try (JobOperations jobs = new JobOperations(cluster.restAddress())) {
            return jobs.list().get(0).getJobId();
        }
    }

    private static int cli(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(LOG);
        cl.setErr(LOG);
        return cl.execute(args);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
