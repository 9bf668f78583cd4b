package io.ipdm.dataflow.cluster;

import java.nio.file.Path;

/** Where a local cluster keeps its files inside its state directory. */
public record ClusterLayout(Path stateDir) {

    public ClusterLayout {
        stateDir = stateDir.toAbsolutePath().normalize();
    }

    /** {@code ~/.ipdm/cluster}: where {@code ipdm cluster} keeps its cluster by default. */
    public static Path defaultStateDir() {
        return Path.of(System.getProperty("user.home"), ".ipdm", "cluster");
    }

    public Path confDir() {
        return stateDir.resolve("conf");
    }

    public Path logDir() {
        return stateDir.resolve("log");
    }

    public Path pidDir() {
        return stateDir.resolve("pids");
    }

    public Path checkpointDir() {
        return stateDir.resolve("checkpoints");
    }

    public Path savepointDir() {
        return stateDir.resolve("savepoints");
    }

    public Path tmpDir() {
        return stateDir.resolve("tmp");
    }

    /** Written last by {@code start}: the REST endpoint of a running cluster. */
    public Path endpointFile() {
        return stateDir.resolve("cluster.properties");
    }

    public Path pidFile(String process) {
        return pidDir().resolve(process + ".pid");
    }

    public Path logFile(String process) {
        return logDir().resolve(process + ".log");
    }

    /** stdout and stderr of the process (JVM crashes, early errors before logging starts). */
    public Path outFile(String process) {
        return logDir().resolve(process + ".out");
    }
}
