package io.ipdm.dataflow.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.messages.webmonitor.ClusterOverview;

/**
 * A Flink session cluster on this machine: one JobManager and N TaskManagers, each a separate JVM
 * started from Flink's own entrypoint. All files (config, logs, pid files, checkpoints) live in the
 * state directory; {@link #stop} stops exactly the processes named by its pid files.
 *
 * <p>Not thread-safe: one CLI command or test drives a cluster at a time.
 */
public final class LocalCluster implements AutoCloseable {

    static final String JOB_MANAGER = "jobmanager";
    private static final String TM_PREFIX = "taskmanager-";
    private static final String NAME_PLACEHOLDER = "@IPDM_PROCESS@";
    private static final Pattern TM_PID = Pattern.compile("taskmanager-(\\d+)\\.pid");
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int START_RETRIES = 2;

    private final ClusterLayout layout;
    private final JobManagerAddress rest;

    private LocalCluster(ClusterLayout layout, JobManagerAddress rest) {
        this.layout = layout;
        this.rest = rest;
    }

    /**
     * Starts the cluster and returns once all TaskManagers have registered with the JobManager. On
     * failure everything started so far is stopped again.
     */
    public static LocalCluster start(
            ClusterSpec spec,
            Map<String, String> extraConfig,
            PrintWriter progress,
            Duration timeout) {
        ClusterLayout layout = new ClusterLayout(spec.stateDir());
        Optional<ProcessHandle> running = pidFile(layout, JOB_MANAGER).process();
        if (running.isPresent()) {
            throw new ClusterException(
                    "a cluster is already running from "
                            + layout.stateDir()
                            + " (JobManager pid "
                            + running.get().pid()
                            + "); stop it first with `ipdm cluster stop --state-dir "
                            + layout.stateDir()
                            + "`");
        }
        int restPort = spec.restPort() != 0 ? spec.restPort() : freePort();
        int rpcPort = freePort();
        try {
            for (Path d :
                    List.of(
                            layout.logDir(),
                            layout.pidDir(),
                            layout.checkpointDir(),
                            layout.savepointDir(),
                            layout.tmpDir())) {
                Files.createDirectories(d);
            }
            Files.deleteIfExists(layout.endpointFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + layout.stateDir(), e);
        }
        FlinkClusterConfig.write(
                layout, FlinkClusterConfig.options(spec, restPort, rpcPort, extraConfig));
        FlinkJvmCommands commands = new FlinkJvmCommands(spec);
        writeTaskManagerTemplate(layout, commands.taskManager(NAME_PLACEHOLDER));

        LocalCluster cluster =
                new LocalCluster(layout, new JobManagerAddress("localhost", restPort));
        try {
            progress.println("ipdm: starting JobManager (logs in " + layout.logDir() + ")");
            cluster.startJobManager(commands.jobManager(), progress, timeout);
            List<String> taskManagers = new ArrayList<>();
            for (int i = 1; i <= spec.taskManagers(); i++) {
                taskManagers.add(cluster.startTaskManager());
            }
            progress.println(
                    "ipdm: waiting for " + spec.taskManagers() + " TaskManager(s) to register");
            cluster.awaitTaskManagers(spec.taskManagers(), taskManagers, progress, timeout);
            Properties p = new Properties();
            p.setProperty("rest.address", "localhost");
            p.setProperty("rest.port", Integer.toString(restPort));
            try (var out = Files.newBufferedWriter(layout.endpointFile())) {
                p.store(out, "IPDM local Flink session cluster");
            }
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.stop();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The cluster started from {@code stateDir}, if its JobManager is still running. */
    public static Optional<LocalCluster> find(Path stateDir) {
        ClusterLayout layout = new ClusterLayout(stateDir);
        if (!Files.isRegularFile(layout.endpointFile())) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(layout.endpointFile())) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.endpointFile(), e);
        }
        return Optional.of(
                new LocalCluster(
                        layout,
                        new JobManagerAddress(
                                p.getProperty("rest.address", "localhost"),
                                Integer.parseInt(p.getProperty("rest.port")))));
    }

    public JobManagerAddress restAddress() {
        return rest;
    }

    public String webUrl() {
        return rest.url();
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** Starts one more TaskManager (e.g. to replace a lost one) and returns its name. */
    public String startTaskManager() {
        String name = TM_PREFIX + (maxTaskManagerIndex() + 1);
        launchTaskManager(name);
        return name;
    }

    private void launchTaskManager(String name) {
        List<String> cmd = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(layout.confDir().resolve("taskmanager.args"))) {
                cmd.add(line.replace(NAME_PLACEHOLDER, name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the TaskManager command of the cluster in " + layout.stateDir(),
                    e);
        }
        launch(name, cmd);
    }

    /**
     * Starts the JobManager and waits for its REST endpoint. A busy machine can push Pekko past its
     * fixed 10 s remoting start-up limit, which kills the JVM; that is retried.
     */
    private void startJobManager(List<String> cmd, PrintWriter progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            launch(JOB_MANAGER, cmd);
            try (RestClusterClient<String> client = rest.client()) {
                while (true) {
                    try {
                        client.getClusterOverview().get();
                        return;
                    } catch (Exception e) {
                        // the REST endpoint is not up yet
                    }
                    if (pidFile(layout, JOB_MANAGER).process().isEmpty()) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new ClusterException(
                                "the JobManager's REST endpoint "
                                        + rest.url()
                                        + " did not come up within "
                                        + timeout.toSeconds()
                                        + " s; see "
                                        + layout.logFile(JOB_MANAGER));
                    }
                    sleep(500);
                }
            }
            if (attempt > START_RETRIES) {
                throw new ClusterException(
                        "jobmanager exited during start-up; "
                                + tail(layout.outFile(JOB_MANAGER))
                                + "\nSee "
                                + layout.logFile(JOB_MANAGER));
            }
            progress.println("ipdm: jobmanager exited during start-up; starting it again");
        }
    }

    /** Kills a TaskManager like {@code kill -9}; returns whether it was running. */
    public boolean killTaskManager(String name) {
        return pidFile(layout, name).kill();
    }

    /** Names and state of every process this cluster started, JobManager first. */
    public List<ProcessState> processes() {
        List<ProcessState> states = new ArrayList<>();
        for (String name : processNames()) {
            PidFile f = pidFile(layout, name);
            states.add(new ProcessState(name, f.pid().orElse(-1L), f.process().isPresent()));
        }
        return states;
    }

    /** The JobManager's view: connected TaskManagers, slots and jobs. */
    public ClusterOverview overview() {
        try (RestClusterClient<String> client = rest.client()) {
            return client.getClusterOverview().get();
        } catch (Exception e) {
            throw new ClusterException(
                    "JobManager at " + rest + " did not answer: " + rootMessage(e), e);
        }
    }

    /**
     * Waits until at least {@code count} TaskManagers are registered. One of {@code watched} that
     * exits before is started again (up to twice); the JobManager exiting fails at once.
     */
    public void awaitTaskManagers(
            int count, List<String> watched, PrintWriter progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> restarts = new HashMap<>();
        try (RestClusterClient<String> client = rest.client()) {
            while (true) {
                if (pidFile(layout, JOB_MANAGER).process().isEmpty()) {
                    throw new ClusterException(
                            "jobmanager exited; "
                                    + tail(layout.outFile(JOB_MANAGER))
                                    + "\nSee "
                                    + layout.logFile(JOB_MANAGER));
                }
                int connected = -1;
                try {
                    connected = client.getClusterOverview().get().getNumTaskManagersConnected();
                } catch (Exception e) {
                    // the REST endpoint is busy
                }
                if (connected >= count) {
                    return;
                }
                for (String name : watched) {
                    if (pidFile(layout, name).process().isEmpty()) {
                        int n = restarts.merge(name, 1, Integer::sum);
                        if (n > START_RETRIES) {
                            throw new ClusterException(
                                    name
                                            + " exited during start-up; "
                                            + tail(layout.outFile(name))
                                            + "\nSee "
                                            + layout.logFile(name));
                        }
                        progress.println(
                                "ipdm: " + name + " exited during start-up; starting it again");
                        launchTaskManager(name);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException(
                            "only "
                                    + Math.max(connected, 0)
                                    + " of "
                                    + count
                                    + " TaskManagers registered within "
                                    + timeout.toSeconds()
                                    + " s; see the logs in "
                                    + layout.logDir());
                }
                sleep(500);
            }
        }
    }

    /** Stops every process named by a pid file (TaskManagers first); returns the names stopped. */
    public List<String> stop() {
        return stopAll(layout);
    }

    /** Stops the processes of the cluster in {@code stateDir} by their pid files. */
    public static List<String> stopAll(ClusterLayout layout) {
        List<String> names = new ArrayList<>(processNames(layout));
        names.remove(JOB_MANAGER);
        names.add(JOB_MANAGER);
        List<String> stopped = new ArrayList<>();
        for (String name : names) {
            if (pidFile(layout, name).stop(STOP_GRACE)) {
                stopped.add(name);
            }
        }
        try {
            Files.deleteIfExists(layout.endpointFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }

    /** One process of the cluster. */
    public record ProcessState(String name, long pid, boolean alive) {}

    private void launch(String name, List<String> cmd) {
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .directory(layout.stateDir().toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(layout.outFile(name).toFile()))
                            .start();
            pidFile(layout, name).write(p.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + cmd.get(0), e);
        }
    }

    private int maxTaskManagerIndex() {
        return processNames().stream()
                .filter(n -> n.startsWith(TM_PREFIX))
                .mapToInt(n -> Integer.parseInt(n.substring(TM_PREFIX.length())))
                .max()
                .orElse(0);
    }

    private List<String> processNames() {
        return processNames(layout);
    }

    private static List<String> processNames(ClusterLayout layout) {
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(layout.pidFile(JOB_MANAGER))) {
            names.add(JOB_MANAGER);
        }
        if (!Files.isDirectory(layout.pidDir())) {
            return names;
        }
        try (Stream<Path> files = Files.list(layout.pidDir())) {
            files.map(f -> TM_PID.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .forEach(i -> names.add(TM_PREFIX + i));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.pidDir(), e);
        }
        return names;
    }

    private static PidFile pidFile(ClusterLayout layout, String name) {
        return new PidFile(layout.pidFile(name), layout.stateDir().toString());
    }

    private static void writeTaskManagerTemplate(ClusterLayout layout, List<String> cmd) {
        try {
            Files.write(layout.confDir().resolve("taskmanager.args"), cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return "last output: "
                    + String.join(
                            "\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "no output.";
        }
    }

    /**
     * The innermost cause's message on one line. REST errors carry the server's whole stack trace
     * in their message; of that only the last "Caused by" counts.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.toString();
        String[] lines = m.split("\n");
        String best = lines[0].startsWith("[") ? lines[0].substring(1) : lines[0];
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                best = line.substring("Caused by: ".length());
            }
        }
        int colon = best.indexOf(": ");
        if (colon > 0 && best.substring(0, colon).matches("[\\w.$]+")) {
            best = best.substring(colon + 2);
        }
        return best.strip();
    }

    /** {@code preferred} if nothing listens on it now, else any free port. */
    public static int preferredOrFreePort(int preferred) {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException e) {
            return freePort();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on loopback", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the cluster");
        }
    }
}
