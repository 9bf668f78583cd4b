package io.ipdm.dataflow.cluster;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * Command lines of the Flink JVMs, as Flink's {@code jobmanager.sh}/{@code taskmanager.sh} would
 * build them: heap and direct-memory flags and the derived memory options come from Flink's own
 * memory model applied to the written config file.
 */
public final class FlinkJvmCommands {

    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final Configuration config;

    public FlinkJvmCommands(ClusterSpec spec) {
        this.spec = spec;
        this.layout = new ClusterLayout(spec.stateDir());
        this.config = GlobalConfiguration.loadConfiguration(layout.confDir().toString());
    }

    public List<String> jobManager() {
        JobManagerProcessSpec memory = JobManagerProcessUtils.processSpecFromConfig(config);
        List<String> cmd = java();
        cmd.addAll(split(JobManagerProcessUtils.generateJvmParametersStr(memory, config)));
        cmd.addAll(tail("jobmanager", JOB_MANAGER_MAIN));
        cmd.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(memory)));
        return cmd;
    }

    public List<String> taskManager(String name) {
        TaskExecutorProcessSpec memory = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> cmd = java();
        cmd.addAll(split(ProcessMemoryUtils.generateJvmParametersStr(memory)));
        spec.graalCompilerDir()
                .ifPresent(
                        dir -> {
                            cmd.add("-XX:+UnlockExperimentalVMOptions");
                            cmd.add("-XX:+EnableJVMCI");
                            cmd.add("--upgrade-module-path=" + dir.toAbsolutePath());
                        });
        cmd.addAll(tail(name, TASK_MANAGER_MAIN));
        cmd.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(memory)));
        cmd.add("-Dtaskmanager.resource-id=" + name);
        return cmd;
    }

    /**
     * The module-access flags of this JVM ({@code --add-opens}, {@code --add-exports}, ...): the
     * launcher and surefire start it with Flink's list ({@code ipdm.jvm.opens} in the parent pom),
     * and every Flink JVM needs the same.
     */
    public static List<String> inheritedModuleFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(
                        a ->
                                a.startsWith("--add-opens")
                                        || a.startsWith("--add-exports")
                                        || a.startsWith("--enable-native-access")
                                        || a.startsWith("--sun-misc-unsafe-memory-access"))
                .toList();
    }

    private List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(spec.jvmFlags());
        return cmd;
    }

    private List<String> tail(String name, String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add("-Dlog.file=" + layout.logFile(name));
        cmd.add(
                "-Dlog4j.configurationFile="
                        + layout.confDir().resolve("log4j.properties").toUri());
        cmd.add("-Dipdm.cluster.process=" + name);
        cmd.add("-cp");
        cmd.add(
                stateBackendFirst(spec.classpath()).stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)));
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(layout.confDir().toString());
        return cmd;
    }

    /**
     * Puts Flink's FRocksDB build before any other RocksDB jar. Both define {@code org.rocksdb};
     * with plain rocksdbjni (Lava Lakes' warm tier) first, Flink's RocksDB state backend writes
     * empty files into native checkpoints and every checkpoint fails ("streamStateHandle cannot be
     * null").
     */
    static List<Path> stateBackendFirst(List<Path> classpath) {
        List<Path> ordered = new ArrayList<>();
        classpath.stream().filter(FlinkJvmCommands::isFrocksdb).forEach(ordered::add);
        classpath.stream().filter(p -> !isFrocksdb(p)).forEach(ordered::add);
        return ordered;
    }

    private static boolean isFrocksdb(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith("frocksdbjni");
    }

    private static List<String> split(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
