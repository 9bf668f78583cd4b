package io.ipdm.dataflow.cluster;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What to start: a session cluster of one JobManager and {@code taskManagers} TaskManagers on
 * loopback, every JVM running Flink's own entrypoint with {@code classpath}.
 *
 * @param taskManagers number of TaskManager processes (at least 1)
 * @param slots task slots per TaskManager
 * @param stateDir where config, logs, pid files, checkpoints and savepoints go
 * @param restPort REST/Web UI port, or 0 for any free port
 * @param classpath IPDM's runtime classpath (module jars and dependencies)
 * @param jvmFlags flags every Flink JVM gets (Flink's --add-opens/--add-exports list on Java 17+)
 * @param graalCompilerDir directory with the Graal compiler jars; when present TaskManagers run the
 *     optimizing Truffle runtime (JVMCI)
 * @param taskManagerMemory value of {@code taskmanager.memory.process.size}
 * @param jobManagerMemory value of {@code jobmanager.memory.process.size}
 */
public record ClusterSpec(
        int taskManagers,
        int slots,
        Path stateDir,
        int restPort,
        List<Path> classpath,
        List<String> jvmFlags,
        Optional<Path> graalCompilerDir,
        String taskManagerMemory,
        String jobManagerMemory) {

    public static final String DEFAULT_TASK_MANAGER_MEMORY = "1280m";
    public static final String DEFAULT_JOB_MANAGER_MEMORY = "1g";

    /**
     * A spec whose Flink JVMs run with this JVM's classpath and module flags (the {@code ./ipdm}
     * launcher starts it with IPDM's runtime classpath), and the Graal compiler jars of this JVM's
     * {@code --upgrade-module-path} or of {@code <ipdm.home>/wasm-udf/target/graal-compiler}.
     */
    public static ClusterSpec forThisJvm(int taskManagers, int slots, Path stateDir, int restPort) {
        List<Path> classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(s -> !s.isEmpty())
                        .map(Path::of)
                        .toList();
        return new ClusterSpec(
                taskManagers,
                slots,
                stateDir,
                restPort,
                classpath,
                FlinkJvmCommands.inheritedModuleFlags(),
                inheritedGraalCompilerDir(),
                DEFAULT_TASK_MANAGER_MEMORY,
                DEFAULT_JOB_MANAGER_MEMORY);
    }

    /** The same spec with other process sizes (Flink memory strings such as {@code 2g}). */
    public ClusterSpec withMemory(String taskManager, String jobManager) {
        return new ClusterSpec(
                taskManagers,
                slots,
                stateDir,
                restPort,
                classpath,
                jvmFlags,
                graalCompilerDir,
                taskManager,
                jobManager);
    }

    private static Optional<Path> inheritedGraalCompilerDir() {
        Optional<Path> inherited =
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("--upgrade-module-path="))
                        .map(a -> Path.of(a.substring("--upgrade-module-path=".length())))
                        .findFirst();
        if (inherited.isPresent()) {
            return inherited;
        }
        String home = System.getProperty("ipdm.home");
        if (home == null) {
            return Optional.empty();
        }
        Path dir = Path.of(home, "wasm-udf", "target", "graal-compiler");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    public ClusterSpec {
        if (taskManagers < 1) {
            throw new IllegalArgumentException(
                    "--taskmanagers must be at least 1, got " + taskManagers);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
        }
        if (restPort < 0 || restPort > 65535) {
            throw new IllegalArgumentException("--port must be within 0..65535, got " + restPort);
        }
        stateDir = stateDir.toAbsolutePath().normalize();
        classpath = List.copyOf(classpath);
        jvmFlags = List.copyOf(jvmFlags);
    }
}
