package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Throughput of one windowed job (keyed 5 s tumbling windows, RocksDB, checkpoints every second,
 * exactly-once file sink) at parallelism 2 on: the embedded MiniCluster, a local session cluster
 * with one TaskManager (2 slots), and one with two TaskManagers (1 slot each). All three get the
 * job through the same REST submission path; the time is the job's net runtime. Run by hand (see
 * docs/BENCHMARKS.md, section Cluster); surefire does not pick it up by default.
 */
class ClusterThroughputBench {

    private static final PrintWriter OUT = new PrintWriter(System.out, true);

    @Test
    void throughput() throws Exception {
        long n = Long.getLong("ipdm.bench.values", 4_000_000L);
        Path base = Path.of("target", "cluster-bench").toAbsolutePath();
        LocalClusterITCase.deleteRecursively(base);

        double mini = onMiniCluster(n, base.resolve("mini"));
        double one = onLocalCluster(n, 1, 2, base.resolve("one-tm"));
        double two = onLocalCluster(n, 2, 1, base.resolve("two-tm"));

        OUT.printf("%n%-34s %12s %8s%n", "setup (parallelism 2)", "records/s", "vs mini");
        OUT.printf("%-34s %,12.0f %8.2f%n", "embedded MiniCluster", mini, 1.0);
        OUT.printf("%-34s %,12.0f %8.2f%n", "session cluster, 1 TM x 2 slots", one, one / mini);
        OUT.printf("%-34s %,12.0f %8.2f%n", "session cluster, 2 TMs x 1 slot", two, two / mini);
    }

    private static double onMiniCluster(long n, Path dir) throws Exception {
        Configuration c = new Configuration();
        c.set(RestOptions.PORT, 0);
        c.setString("state.backend.type", "rocksdb");
        c.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        try (MiniCluster mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(c)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build())) {
            mini.start();
            URI rest = mini.getRestAddress().get();
            return run(new JobManagerAddress(rest.getHost(), rest.getPort()), n, dir);
        }
    }

    private static double onLocalCluster(long n, int taskManagers, int slots, Path dir)
            throws Exception {
        List<Path> classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(Path::of)
                        .toList();
        ClusterSpec spec =
                new ClusterSpec(
                        taskManagers,
                        slots,
                        dir,
                        0,
                        classpath,
                        FlinkJvmCommands.inheritedModuleFlags(),
                        Optional.empty(),
                        ClusterSpec.DEFAULT_TASK_MANAGER_MEMORY,
                        "768m");
        try (LocalCluster cluster =
                LocalCluster.start(spec, Map.of(), OUT, Duration.ofMinutes(3))) {
            return run(cluster.restAddress(), n, dir);
        }
    }

    private static double run(JobManagerAddress jm, long n, Path dir) throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(dir);
        JobSubmitter submitter = new JobSubmitter(jm, OUT);
        JobID id =
                submitter.submit(
                        SequenceWindowJob.graph(n, 2, Integer.MAX_VALUE, out),
                        new JobSubmitter.Options(true, Optional.empty(), false, List.of()));
        JobResult result = submitter.await(id, Duration.ofMinutes(10));
        assertThat(result.getJobStatus()).contains(JobStatus.FINISHED);
        assertThat(SequenceWindowJob.committed(out)).hasSize(SequenceWindowJob.expected(n).size());
        return n * 1000.0 / result.getNetRuntime();
    }
}
