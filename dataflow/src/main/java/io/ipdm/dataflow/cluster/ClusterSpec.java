package io.ipdm.dataflow.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to start: a session cluster of one JobManager and {@code taskManagers} TaskManagers on
 * loopback, every JVM running Flink's own entrypoint with {@code classpath}.
 *
 * @param taskManagers number of TaskManager processes (at least 1)
 * @param slots task slots per TaskManager
 * @param stateDir where config, logs, pid files, checkpoints and savepoints go
 * @param restPort REST/Web UI port, or 0 to take 8081 when free and any free port otherwise
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
