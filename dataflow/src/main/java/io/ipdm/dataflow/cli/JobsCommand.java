package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.cluster.ClusterException;
import io.ipdm.dataflow.cluster.JobOperations;
import io.ipdm.dataflow.runtime.SavepointLocations;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobStatusMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ipdm jobs list|cancel|savepoint|stop}: operate the jobs of a Flink cluster. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "List, cancel, savepoint or stop the jobs of a Flink cluster (REST API).")
final class JobsCommand extends CommandGroup {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin ClusterTarget target;

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every job the cluster knows, newest first.")
    int list(@Mixin CommonOptions common) {
        return run(
                common,
                jobs -> {
                    List<JobStatusMessage> all = jobs.list();
                    if (all.isEmpty()) {
                        common.say(out(), "no jobs");
                    }
                    for (JobStatusMessage j : all) {
                        common.result(
                                out(),
                                String.format(
                                        "%s  %-11s %s UTC  %s",
                                        j.getJobId(),
                                        j.getJobState(),
                                        TIME.format(Instant.ofEpochMilli(j.getStartTime())),
                                        j.getJobName()),
                                j.getJobId().toString());
                    }
                });
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a job without a savepoint.")
    int cancel(@Parameters(paramLabel = "ID") String id, @Mixin CommonOptions common) {
        JobID job = parse(id);
        return run(
                common,
                jobs -> {
                    jobs.cancel(job);
                    common.say(out(), "ipdm: cancelled " + job);
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
                    String dir,
            @Mixin CommonOptions common) {
        JobID job = parse(id);
        return run(
                common,
                jobs -> {
                    String sp = jobs.savepoint(job, targetDir(dir));
                    common.result(out(), "ipdm: savepoint " + sp, sp);
                });
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
                    String dir,
            @Mixin CommonOptions common) {
        JobID job = parse(id);
        return run(
                common,
                jobs -> {
                    String sp = jobs.stopWithSavepoint(job, targetDir(dir));
                    common.result(out(), "ipdm: stopped " + job + "; savepoint " + sp, sp);
                });
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

    /**
     * Runs {@code action} on the cluster's jobs. -q: results bare (job ids, savepoint paths), no
     * status lines; -v: Flink's INFO logs and the stack trace of a failure.
     */
    private int run(CommonOptions common, java.util.function.Consumer<JobOperations> action) {
        common.apply();
        try (JobOperations jobs = new JobOperations(target.address(spec.commandLine()))) {
            action.accept(jobs);
            return IpdmCli.OK;
        } catch (ClusterException e) {
            common.failure(err(), "ipdm: " + e.getMessage(), e);
            return IpdmCli.JOB_FAILED;
        }
    }
}
