package io.ipdm.dataflow.cluster;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.SavepointLocations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rest.messages.ClusterConfigurationInfoHeaders;
import org.apache.flink.runtime.rest.messages.ConfigurationInfo;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.SerializedThrowable;

/**
 * Submits a compiled job (its {@link StreamGraph}) to a Flink session cluster through the REST API,
 * the way {@code flink run} does, and follows it to the end unless detached.
 */
public final class JobSubmitter {

    /**
     * @param detached return once the job is accepted instead of following it
     * @param fromSavepoint savepoint or retained checkpoint to restore from, as the user gave it
     *     (resolved by {@link SavepointLocations})
     * @param allowNonRestoredState skip savepoint state that maps to no operator
     * @param userJars jars to upload with the job; empty when the cluster's classpath has IPDM
     */
    public record Options(
            boolean detached,
            Optional<String> fromSavepoint,
            boolean allowNonRestoredState,
            List<Path> userJars) {

        public Options {
            userJars = List.copyOf(userJars);
            for (Path jar : userJars) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("job jar " + jar + " does not exist");
                }
            }
        }

        public static Options attached() {
            return new Options(false, Optional.empty(), false, List.of());
        }
    }

    private final JobManagerAddress jobManager;
    private final PrintWriter progress;

    public JobSubmitter(JobManagerAddress jobManager, PrintWriter progress) {
        this.jobManager = jobManager;
        this.progress = progress;
    }

    /**
     * Submits and returns the job id; the pipeline's graph is changed (job id, jars, restore
     * settings), so a compiled pipeline is submitted once.
     */
    public JobID submit(CompiledPipeline pipeline, Options options) {
        StreamGraph graph = pipeline.graph();
        Configuration c = new Configuration();
        c.set(DeploymentOptions.ATTACHED, !options.detached());
        c.set(
                PipelineOptions.JARS,
                options.userJars().stream()
                        .map(p -> p.toAbsolutePath().toUri().toString())
                        .toList());
        options.fromSavepoint()
                .ifPresent(
                        p ->
                                c.set(
                                        StateRecoveryOptions.SAVEPOINT_PATH,
                                        pipeline.savepointLocation(p)));
        c.set(
                StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE,
                options.allowNonRestoredState());
        try (RestClusterClient<String> client = jobManager.client()) {
            StreamGraph prepared = PipelineExecutorUtils.getStreamGraph(graph, c);
            prepared.serializeUserDefinedInstances();
            JobID id = client.submitJob(prepared).get();
            progress.println(
                    "ipdm: submitted job '"
                            + prepared.getJobName()
                            + "' as "
                            + id
                            + " to "
                            + jobManager.url());
            return id;
        } catch (Exception e) {
            throw new ClusterException(
                    "submitting the job to "
                            + jobManager
                            + " failed: "
                            + LocalCluster.rootMessage(e),
                    e);
        }
    }

    /** Follows a job, printing its status changes, until it ends or {@code timeout} passes. */
    public JobResult await(JobID id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (RestClusterClient<String> client = jobManager.client()) {
            JobStatus last = null;
            while (true) {
                JobStatus status = client.getJobStatus(id).get();
                if (status != last) {
                    progress.println(
                            "ipdm: "
                                    + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                                    + " job "
                                    + id
                                    + " "
                                    + status);
                    last = status;
                }
                if (status.isGloballyTerminalState()) {
                    JobResult result = client.requestJobResult(id).get();
                    result.getSerializedThrowable()
                            .ifPresent(t -> progress.println("ipdm: job failed: " + describe(t)));
                    return result;
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException(
                            "job "
                                    + id
                                    + " still "
                                    + status
                                    + " after "
                                    + timeout.toSeconds()
                                    + " s");
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while following job " + id);
        } catch (ClusterException e) {
            throw e;
        } catch (Exception e) {
            throw new ClusterException(
                    "lost contact with "
                            + jobManager
                            + " while following job "
                            + id
                            + ": "
                            + LocalCluster.rootMessage(e),
                    e);
        }
    }

    /** Whether the cluster was started by IPDM, so IPDM's classes are on its classpath. */
    public boolean clusterHasIpdmClasspath() {
        try (RestClusterClient<String> client = jobManager.client()) {
            ConfigurationInfo config =
                    client.sendRequest(
                                    ClusterConfigurationInfoHeaders.getInstance(),
                                    EmptyMessageParameters.getInstance(),
                                    EmptyRequestBody.getInstance())
                            .get();
            return config.stream()
                    .anyMatch(e -> e.getKey().equals(FlinkClusterConfig.IPDM_CLASSPATH_KEY));
        } catch (Exception e) {
            throw new ClusterException(
                    "cannot reach the JobManager at "
                            + jobManager.url()
                            + ": "
                            + LocalCluster.rootMessage(e)
                            + "; is the cluster running (`ipdm cluster status`)?",
                    e);
        }
    }

    /** The original exception's class, message and first cause line, without its stack. */
    public static String describe(SerializedThrowable t) {
        String root = t.getFullStringifiedStackTrace().lines().findFirst().orElse("");
        Throwable cause = t;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause == t ? root : root + "\n  caused by: " + cause.getMessage();
    }
}
