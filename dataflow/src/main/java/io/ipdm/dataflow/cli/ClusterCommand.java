package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.cluster.ClusterException;
import io.ipdm.dataflow.cluster.ClusterLayout;
import io.ipdm.dataflow.cluster.ClusterSpec;
import io.ipdm.dataflow.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.runtime.messages.webmonitor.ClusterOverview;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ipdm cluster start|stop|status|add-taskmanager}: a Flink session cluster on this machine.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "A Flink session cluster on this machine: a JobManager and TaskManagers as separate JVMs"
                    + " started from Flink's entrypoints with IPDM's classpath.",
            "Config, logs, pid files, checkpoints and savepoints live in the state directory."
        })
final class ClusterCommand extends CommandGroup {

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "State directory of the cluster (default ~/.ipdm/cluster).")
    Path stateDir = ClusterLayout.defaultStateDir();

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start the cluster and wait until every TaskManager has registered.")
    int start(
            @Option(
                            names = "--taskmanagers",
                            paramLabel = "N",
                            defaultValue = "1",
                            description = "TaskManager JVMs (default 1).")
                    int taskManagers,
            @Option(
                            names = "--slots",
                            paramLabel = "S",
                            defaultValue = "2",
                            description = "Task slots per TaskManager (default 2).")
                    int slots,
            @Option(
                            names = "--port",
                            paramLabel = "P",
                            defaultValue = "0",
                            description =
                                    "REST/Web UI port (default 8081 if free, else any free port).")
                    int port,
            @Option(
                            names = "--taskmanager-memory",
                            paramLabel = "SIZE",
                            defaultValue = ClusterSpec.DEFAULT_TASK_MANAGER_MEMORY,
                            description =
                                    "taskmanager.memory.process.size (default ${DEFAULT-VALUE}).")
                    String tmMemory,
            @Option(
                            names = "--jobmanager-memory",
                            paramLabel = "SIZE",
                            defaultValue = ClusterSpec.DEFAULT_JOB_MANAGER_MEMORY,
                            description =
                                    "jobmanager.memory.process.size (default ${DEFAULT-VALUE}).")
                    String jmMemory,
            @Option(
                            names = "--conf",
                            paramLabel = "KEY=VALUE",
                            description = "Extra Flink option for config.yaml. Repeatable.")
                    List<String> conf,
            @Mixin CommonOptions common) {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec cluster;
        try {
            cluster =
                    ClusterSpec.forThisJvm(
                                    taskManagers,
                                    slots,
                                    stateDir,
                                    port != 0 ? port : LocalCluster.preferredOrFreePort(8081))
                            .withMemory(tmMemory, jmMemory);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LocalCluster started;
        try {
            started =
                    LocalCluster.start(
                            cluster,
                            parseConf(conf),
                            common.quiet
                                    ? new PrintWriter(java.io.OutputStream.nullOutputStream())
                                    : out,
                            Duration.ofMinutes(3));
        } catch (ClusterException e) {
            common.failure(err(), "ipdm: " + e.getMessage(), e);
            return IpdmCli.JOB_FAILED;
        }
        common.say(
                out,
                "ipdm: cluster running with "
                        + taskManagers
                        + " TaskManager(s) x "
                        + slots
                        + " slot(s); state in "
                        + started.layout().stateDir());
        // -q: only the address `ipdm submit --jobmanager` and `ipdm jobs` take
        common.result(out, "ipdm: Web UI " + started.webUrl(), started.restAddress().toString());
        cluster.graalCompilerDir()
                .ifPresentOrElse(
                        dir ->
                                common.say(
                                        out,
                                        "ipdm: TaskManagers run WebAssembly stages on the optimizing"
                                                + " Truffle runtime (JVMCI, Graal compiler from "
                                                + dir
                                                + ")"),
                        () ->
                                err().println(
                                                "ipdm: warning: no Graal compiler jars found, so TaskManagers"
                                                        + " run WebAssembly stages on the Truffle interpreter"
                                                        + " (about 100x slower); run `mvn -pl wasm-udf"
                                                        + " generate-resources` and restart the cluster"));
        common.say(
                out,
                "ipdm: submit with `ipdm submit FILE --jobmanager "
                        + started.restAddress()
                        + "`; stop with `ipdm cluster stop`");
        return IpdmCli.OK;
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop the processes this cluster started (by their pid files).")
    int stop(@Mixin CommonOptions common) {
        common.apply();
        List<String> stopped = LocalCluster.stopAll(new ClusterLayout(stateDir));
        common.say(
                out(),
                stopped.isEmpty()
                        ? "ipdm: no cluster processes running from " + stateDir
                        : "ipdm: stopped " + String.join(", ", stopped));
        return IpdmCli.OK;
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show the processes, TaskManagers, slots and jobs of the cluster.")
    int status(@Mixin CommonOptions common) {
        common.apply();
        Optional<LocalCluster> cluster = LocalCluster.find(stateDir);
        if (cluster.isEmpty()) {
            out().println("ipdm: no cluster started from " + stateDir);
            return IpdmCli.JOB_FAILED;
        }
        LocalCluster c = cluster.get();
        for (LocalCluster.ProcessState p : c.processes()) {
            out().printf(
                            "%-16s pid %-8d %s%n",
                            p.name(), p.pid(), p.alive() ? "running" : "not running");
        }
        try {
            ClusterOverview o = c.overview();
            out().printf(
                            "Web UI %s: %d TaskManager(s), %d/%d slots free, %d job(s) running%n",
                            c.webUrl(),
                            o.getNumTaskManagersConnected(),
                            o.getNumSlotsAvailable(),
                            o.getNumSlotsTotal(),
                            o.getNumJobsRunningOrPending());
        } catch (ClusterException e) {
            common.failure(out(), "ipdm: " + e.getMessage(), e);
            return IpdmCli.JOB_FAILED;
        }
        return IpdmCli.OK;
    }

    @Command(
            name = "add-taskmanager",
            mixinStandardHelpOptions = true,
            description = "Start one more TaskManager (e.g. to replace a lost one).")
    int addTaskManager(@Mixin CommonOptions common) {
        common.apply();
        LocalCluster c =
                LocalCluster.find(stateDir)
                        .orElseThrow(
                                () ->
                                        new CommandLine.ParameterException(
                                                spec.commandLine(),
                                                "no cluster started from "
                                                        + stateDir
                                                        + "; run `ipdm cluster start` first"));
        String name = c.startTaskManager();
        common.result(
                out(), "ipdm: started " + name + " (log " + c.layout().logFile(name) + ")", name);
        return IpdmCli.OK;
    }

    private Map<String, String> parseConf(List<String> conf) {
        Map<String, String> m = new LinkedHashMap<>();
        if (conf == null) {
            return m;
        }
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--conf expects KEY=VALUE, got '" + kv + "'");
            }
            m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return m;
    }
}
