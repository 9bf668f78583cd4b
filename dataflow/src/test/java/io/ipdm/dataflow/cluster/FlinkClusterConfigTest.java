package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClusterConfigTest {

    @TempDir Path dir;

    private ClusterSpec spec(Optional<Path> graal) {
        return new ClusterSpec(
                2,
                3,
                dir,
                0,
                List.of(Path.of("/opt/a.jar"), Path.of("/opt/frocksdbjni-8.10.0.jar")),
                List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"),
                graal,
                "1280m",
                "1g");
    }

    @Test
    void flinkReadsTheWrittenFileWithEveryOptionTyped() {
        ClusterLayout layout = new ClusterLayout(dir);
        FlinkClusterConfig.write(
                layout,
                FlinkClusterConfig.options(
                        spec(Optional.empty()), 18081, 16123, Map.of("parallelism.default", "4")));

        Configuration c = GlobalConfiguration.loadConfiguration(layout.confDir().toString());

        assertThat(c.get(RestOptions.PORT)).isEqualTo(18081);
        assertThat(c.get(RestOptions.BIND_ADDRESS)).isEqualTo("localhost");
        assertThat(c.get(JobManagerOptions.PORT)).isEqualTo(16123);
        assertThat(c.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(3);
        assertThat(c.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY))
                .isEqualTo(MemorySize.parse("1280m"));
        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(layout.checkpointDir().toUri().toString());
        assertThat(c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo(layout.savepointDir().toUri().toString());
        assertThat(c.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL))
                .containsExactly("org.graalvm.", "com.oracle.truffle.");
        assertThat(c.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(4);
        assertThat(c.toMap()).containsEntry(FlinkClusterConfig.IPDM_CLASSPATH_KEY, "provided");
    }

    @Test
    void taskManagerCommandHasFlinkMemoryFlagsJvmciAndFrocksdbFirst() {
        ClusterLayout layout = new ClusterLayout(dir);
        FlinkClusterConfig.write(
                layout, FlinkClusterConfig.options(spec(Optional.empty()), 1, 2, Map.of()));
        List<String> tm =
                new FlinkJvmCommands(spec(Optional.of(Path.of("/opt/graal")))).taskManager("tm-7");

        assertThat(tm).contains("--add-opens=java.base/java.lang=ALL-UNNAMED");
        assertThat(tm)
                .anyMatch(a -> a.startsWith("-Xmx"))
                .anyMatch(a -> a.startsWith("-XX:MaxDirectMemorySize="));
        assertThat(tm)
                .contains("-XX:+EnableJVMCI", "--upgrade-module-path=/opt/graal")
                .contains(FlinkJvmCommands.TASK_MANAGER_MAIN, "-Dtaskmanager.resource-id=tm-7")
                .contains("/opt/frocksdbjni-8.10.0.jar:/opt/a.jar");
        // memory options derived by Flink's model go in as dynamic properties, like taskmanager.sh
        assertThat(tm).anyMatch(a -> a.startsWith("taskmanager.memory.task.heap.size="));
    }

    @Test
    void jobManagerCommandHasNoJvmciFlags() {
        ClusterLayout layout = new ClusterLayout(dir);
        FlinkClusterConfig.write(
                layout, FlinkClusterConfig.options(spec(Optional.empty()), 1, 2, Map.of()));
        List<String> jm =
                new FlinkJvmCommands(spec(Optional.of(Path.of("/opt/graal")))).jobManager();

        assertThat(jm).contains(FlinkJvmCommands.JOB_MANAGER_MAIN, "--configDir");
        assertThat(jm).noneMatch(a -> a.contains("JVMCI"));
        assertThat(jm).anyMatch(a -> a.startsWith("-Xmx"));
    }
}
