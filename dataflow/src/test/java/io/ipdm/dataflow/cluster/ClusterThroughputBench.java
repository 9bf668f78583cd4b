package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * Throughput of one compiled YAML pipeline ({@code cluster/program-activity.yaml}, unpaced:
 * synthetic transactions, filter, 30 s tumbling windows per fee payer, RocksDB, checkpoints every
 * second, exactly-once JSON Lines files) at parallelism 2 on: the embedded MiniCluster, a local
 * session cluster with one TaskManager (2 slots), and one with two TaskManagers (1 slot each), one
 * after the other in this run. All three get the job through the REST path {@code ipdm submit}
 * uses; the time is the job's net runtime. Run by hand (docs/BENCHMARKS.md, section Cluster);
 * surefire does not pick it up by default.
 */
class ClusterThroughputBench {

    private static final PrintWriter OUT = new PrintWriter(System.out, true);
    private static final int TX_PER_SLOT = 150;

    @Test
    void throughput() throws Exception {
        long slots = Long.getLong("ipdm.bench.slots", 4000L);
        Path base = Path.of("target", "cluster-bench").toAbsolutePath();
        LocalClusterITCase.deleteRecursively(base);

        Result mini = onMiniCluster(slots, base.resolve("mini"));
        Result one = onLocalCluster(slots, 1, 2, base.resolve("one-tm"));
        Result two = onLocalCluster(slots, 2, 1, base.resolve("two-tm"));

        OUT.printf(
                "%n%,d transactions (%,d slots x %d), parallelism 2%n",
                slots * TX_PER_SLOT, slots, TX_PER_SLOT);
        OUT.printf("%-34s %12s %8s %14s%n", "setup", "tx/s", "vs mini", "load avg");
        mini.print("embedded MiniCluster", mini);
        one.print("session cluster, 1 TM x 2 slots", mini);
        two.print("session cluster, 2 TMs x 1 slot", mini);
    }

    private record Result(double txPerSecond, double loadBefore, double loadAfter) {
        void print(String setup, Result base) {
            OUT.printf(
                    "%-34s %,12.0f %8.2f %6.1f -> %4.1f%n",
                    setup, txPerSecond, txPerSecond / base.txPerSecond, loadBefore, loadAfter);
        }
    }

    private static Result onMiniCluster(long slots, Path dir) throws Exception {
        Configuration c = new Configuration();
        c.set(RestOptions.PORT, 0);
        try (MiniCluster mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(c)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build())) {
            mini.start();
            URI rest = mini.getRestAddress().get();
            return run(new JobManagerAddress(rest.getHost(), rest.getPort()), slots, dir);
        }
    }

    private static Result onLocalCluster(long slots, int taskManagers, int slotsPerTm, Path dir) {
        ClusterSpec spec = ClusterSpec.forThisJvm(taskManagers, slotsPerTm, dir, 0);
        try (LocalCluster cluster =
                LocalCluster.start(spec, Map.of(), OUT, Duration.ofMinutes(3))) {
            return run(cluster.restAddress(), slots, dir);
        }
    }

    private static Result run(JobManagerAddress jm, long slots, Path dir) {
        double before = load();
        JobSubmitter submitter = new JobSubmitter(jm, OUT);
        JobID id =
                submitter.submit(
                        compile(slots, dir),
                        new JobSubmitter.Options(true, Optional.empty(), false, List.of()));
        JobResult result = submitter.await(id, Duration.ofMinutes(10));
        assertThat(result.getJobStatus()).contains(JobStatus.FINISHED);
        assertThat(CommittedLines.of(dir.resolve("out"))).isNotEmpty();
        return new Result(slots * TX_PER_SLOT * 1000.0 / result.getNetRuntime(), before, load());
    }

    /** The test pipeline as `ipdm submit` compiles it, unpaced and with every slot filled. */
    private static CompiledPipeline compile(long slots, Path dir) {
        Path cwd = Path.of("").toAbsolutePath();
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(
                        Path.of(LocalClusterITCase.WINDOWED_YAML),
                        List.of(
                                "sources.txs.options.slots=" + slots,
                                "sources.txs.options.transactions_per_slot=" + TX_PER_SLOT,
                                "sources.txs.options.skipped_slot_rate=0",
                                "sources.txs.options.slots_per_split=100",
                                "sources.txs.options.target_rate=0",
                                "sinks.0.options.path=" + dir.resolve("out"),
                                "runtime.state_dir=" + dir.resolve("state")),
                        Map.of());
        return CompiledPipeline.compile(loaded, cwd);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
