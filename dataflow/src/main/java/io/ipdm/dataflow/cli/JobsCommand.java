package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.cluster.ClusterException;
import io.ipdm.dataflow.cluster.JobOperations;
import io.ipdm.dataflow.runtime.SavepointLocations;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobStatusMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipdm jobs list|cancel|savepoint|stop}: operate the jobs of a Flink cluster. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "List, cancel, savepoint or stop the jobs of a Flink cluster (REST API).")
final class JobsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin ClusterTarget target;
    @Spec CommandLine.Model.CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return IpdmCli.BAD_INPUT;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every job the cluster knows, newest first.")
    int list() {
        return run(
                jobs -> {
                    List<JobStatusMessage> all = jobs.list();
                    if (all.isEmpty()) {
                        out().println("no jobs");
                    }
                    for (JobStatusMessage j : all) {
                        out().printf(
                                        "%s  %-11s %s UTC  %s%n",
                                        j.getJobId(),
                                        j.getJobState(),
                                        TIME.format(Instant.ofEpochMilli(j.getStartTime())),
                                        j.getJobName());
                    }
                });
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a job without a savepoint.")
    int cancel(@Parameters(paramLabel = "ID") String id) {
        JobID job = parse(id);
        return run(
                jobs -> {
                    jobs.cancel(job);
                    out().println("ipdm: cancelled " + job);
                });
    }

    @Command(
            name = "savepoint",
            mixinStandardHelpOptions = true,
            description = "Take a savepoint; the job keeps running.")
    int savepoint(
            @Parameters(paramLabel = "ID") String id,
            @Option(
                            names = "--savepoint-dir",
                            paramLabel = "DIR",
                            description =
                                    "Target directory: a URI, or a path relative to here"
                                            + " (default: the cluster's).")
                    String dir) {
        JobID job = parse(id);
        return run(jobs -> out().println("ipdm: savepoint " + jobs.savepoint(job, targetDir(dir))));
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stop a job gracefully with a final savepoint (resume with `ipdm submit --from-savepoint`).")
    int stop(
            @Parameters(paramLabel = "ID") String id,
            @Option(
                            names = "--savepoint-dir",
                            paramLabel = "DIR",
                            description =
                                    "Target directory: a URI, or a path relative to here"
                                            + " (default: the cluster's).")
                    String dir) {
        JobID job = parse(id);
        return run(
                jobs ->
                        out().println(
                                        "ipdm: stopped "
                                                + job
                                                + "; savepoint "
                                                + jobs.stopWithSavepoint(job, targetDir(dir))));
    }

    /** The directory as {@link SavepointLocations} resolves it, or the cluster's default. */
    private static Optional<String> targetDir(String dir) {
        return Optional.ofNullable(dir).map(SavepointLocations::resolve);
    }

    private JobID parse(String id) {
        try {
            return JobOperations.parseJobId(id);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int run(java.util.function.Consumer<JobOperations> action) {
        try (JobOperations jobs = new JobOperations(target.address(spec.commandLine()))) {
            action.accept(jobs);
            return IpdmCli.OK;
        } catch (ClusterException e) {
            err().println("ipdm: " + e.getMessage());
            return IpdmCli.JOB_FAILED;
        }
    }
}
