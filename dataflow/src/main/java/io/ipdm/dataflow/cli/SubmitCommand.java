package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.cluster.ClusterException;
import io.ipdm.dataflow.cluster.ClusterJobMetrics;
import io.ipdm.dataflow.cluster.JobManagerAddress;
import io.ipdm.dataflow.cluster.JobSubmitter;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobmaster.JobResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Compiles a pipeline here and submits it to a Flink session cluster through its REST API. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Compile a pipeline locally and submit it to a Flink session cluster (REST API).",
            "Follows the job to its end unless --detached. Exit codes: 0 finished (or submitted"
                    + " with --detached), 1 job failed or cancelled, 2 bad input.",
            "Unlike ipdm run, it cannot attest windows (--attest, runtime.attest) and reports no"
                    + " exact per-sink counts or late-row drops at the end (the cluster keeps no"
                    + " metrics of finished tasks): watch them live with --metrics-port or the Web"
                    + " UI."
        })
final class SubmitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Pipeline YAML file.")
    Path file;

    @Option(names = "--detached", description = "Return once the cluster accepted the job.")
    boolean detached;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description =
                    "Resume from a savepoint or retained checkpoint (parallelism may differ: --set runtime.parallelism=N).")
    String fromSavepoint;

    @Option(
            names = "--allow-non-restored-state",
            description = "Skip savepoint state that belongs to no operator of this pipeline.")
    boolean allowNonRestoredState;

    @Option(
            names = "--jar",
            paramLabel = "JAR",
            description =
                    "Jar to ship with the job (default: none on a cluster started by `ipdm cluster start`, else IPDM's job jar if built).")
    List<Path> jars = new ArrayList<>();

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "While following the job, serve its metrics (read from the cluster's REST API)"
                            + " for Prometheus on this port (http://HOST:PORT/metrics; default"
                            + " runtime.metrics_port; docs/metrics.md lists the names).")
    Integer metricsPort;

    @Option(
            names = "--metrics-host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(
            names = "--attest",
            description =
                    "Refused with the reason: attestations are signed with a key on this machine and"
                            + " handed to a node's admin endpoint on 127.0.0.1, which a cluster's"
                            + " TaskManagers cannot reach; use ipdm run --attest.")
    boolean attest;

    @Mixin ClusterTarget target;
    @Mixin CommonOptions common;
    @Mixin PipelineOptions pipeline;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter err = spec.commandLine().getErr();
        JobManagerAddress jm = target.address(spec.commandLine());
        if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--metrics-port: expected 1-65535, got " + metricsPort);
        }
        if (allowNonRestoredState && fromSavepoint == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--allow-non-restored-state only applies when resuming; add --from-savepoint"
                            + " PATH or drop it");
        }
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--jar: no such file: " + jar);
            }
        }
        CompiledPipeline plan = Pipelines.compile(file, pipeline.sets);
        if (attest || Boolean.TRUE.equals(plan.spec().runtime().attest())) {
            String why =
                    "a cluster job cannot attest: attestations are signed with a key on this"
                            + " machine and handed to a node's admin endpoint on 127.0.0.1, which"
                            + " the cluster's TaskManagers cannot reach. Run it with `ipdm run "
                            + file
                            + " --attest --node DIR`"
                            + (attest ? "" : ", or set runtime.attest: false to submit it");
            err.println(
                    "ipdm submit: "
                            + (attest
                                    ? "--attest: " + why
                                    : plan.loaded().sourceMap().error("runtime.attest", why)));
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
        Pipelines.printWarnings(plan, err);
        Integer port = metricsPort != null ? metricsPort : plan.spec().runtime().metricsPort();
        if (port == null
                && spec.commandLine().getParseResult().hasMatchedOption("--metrics-host")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--metrics-host binds the metrics endpoint; add --metrics-port PORT (or"
                            + " runtime.metrics_port)");
        }
        if (port != null && detached) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--metrics-port serves the job's metrics while this command follows the job;"
                            + " drop --detached (or runtime.metrics_port), or scrape the cluster's"
                            + " own Prometheus reporter (docs/metrics.md)");
        }
        try {
            PrintWriter out = spec.commandLine().getOut();
            // -q: only the job's address (the result of a detached submit) and errors
            JobSubmitter submitter =
                    new JobSubmitter(
                            jm,
                            common.quiet
                                    ? new PrintWriter(java.io.OutputStream.nullOutputStream())
                                    : out);
            List<Path> ship = jars.isEmpty() ? defaultJars(submitter, jm) : jars;
            JobID id =
                    submitter.submit(
                            plan,
                            new JobSubmitter.Options(
                                    detached,
                                    Optional.ofNullable(fromSavepoint),
                                    allowNonRestoredState,
                                    ship));
            if (!common.quiet || detached) {
                out.println("ipdm: Web UI " + jm.url() + "/#/job/running/" + id + "/overview");
                out.flush();
            }
            if (detached) {
                return IpdmCli.OK;
            }
            JobResult result;
            try (ClusterJobMetrics metrics =
                    port == null ? null : new ClusterJobMetrics(jm, id, metricsHost, port)) {
                if (metrics != null && !common.quiet) {
                    out.println(
                            "ipdm: Prometheus metrics: http://"
                                    + (metricsHost.equals("0.0.0.0") ? "localhost" : metricsHost)
                                    + ":"
                                    + metrics.port()
                                    + "/metrics");
                }
                result = submitter.await(id, Duration.ofDays(365));
            }
            if (!common.quiet) {
                out.println(
                        "ipdm: exact per-sink row counts and late-row drops are known only to"
                                + " ipdm run; the cluster keeps no metrics of finished tasks (watch"
                                + " them live with --metrics-port or in the Web UI)");
                out.flush();
            }
            JobStatus end = result.getJobStatus().orElse(JobStatus.FAILED);
            if (end != JobStatus.FINISHED && common.quiet) {
                // the followed status lines (with the failure) were not printed
                err.println(
                        "ipdm: job "
                                + id
                                + " "
                                + end
                                + result.getSerializedThrowable()
                                        .map(t -> ": " + JobSubmitter.describe(t))
                                        .orElse(""));
                err.flush();
            }
            return end == JobStatus.FINISHED ? IpdmCli.OK : IpdmCli.JOB_FAILED;
        } catch (ClusterException | IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("ipdm: " + e.getMessage());
            err.flush();
            return IpdmCli.JOB_FAILED;
        }
    }

    /** Nothing when the cluster already has IPDM's classes, else the job jar if it was built. */
    private List<Path> defaultJars(JobSubmitter submitter, JobManagerAddress jm) {
        if (submitter.clusterHasIpdmClasspath()) {
            return List.of();
        }
        Path jobJar =
                Path.of(System.getProperty("ipdm.home", "."), "dataflow", "target", "ipdm-job.jar");
        if (Files.isRegularFile(jobJar)) {
            return List.of(jobJar);
        }
        throw new ClusterException(
                "the cluster at "
                        + jm
                        + " was not started by `ipdm cluster start`, so it lacks IPDM's classes;"
                        + " build the job jar (mvn -Pjob-jar package -pl dataflow -am -DskipTests)"
                        + " and pass --jar dataflow/target/ipdm-job.jar");
    }
}
