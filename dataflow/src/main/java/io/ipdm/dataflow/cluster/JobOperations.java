package io.ipdm.dataflow.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;

/** List, cancel, savepoint and stop jobs on a Flink cluster through its REST API. */
public final class JobOperations implements AutoCloseable {

    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);

    private final JobManagerAddress jobManager;
    private final RestClusterClient<String> client;

    public JobOperations(JobManagerAddress jobManager) {
        this.jobManager = jobManager;
        this.client = jobManager.client();
    }

    /** Every job the cluster knows, newest first. */
    public List<JobStatusMessage> list() {
        Collection<JobStatusMessage> jobs = call(client.listJobs(), "listing jobs");
        return jobs.stream()
                .sorted(Comparator.comparingLong(JobStatusMessage::getStartTime).reversed())
                .toList();
    }

    public void cancel(JobID id) {
        call(client.cancel(id), "cancelling job " + id);
    }

    /** Triggers a savepoint; returns its path. {@code dir} empty = the cluster's default. */
    public String savepoint(JobID id, Optional<String> dir) {
        return call(
                client.triggerSavepoint(id, dir.orElse(null), SavepointFormatType.CANONICAL),
                "taking a savepoint of job " + id);
    }

    /** Stops the job gracefully with a final savepoint; returns its path. */
    public String stopWithSavepoint(JobID id, Optional<String> dir) {
        return call(
                client.stopWithSavepoint(
                        id, false, dir.orElse(null), SavepointFormatType.CANONICAL),
                "stopping job " + id + " with a savepoint");
    }

    /** Parses a job id as printed by {@code ipdm jobs list}. */
    public static JobID parseJobId(String text) {
        try {
            return JobID.fromHexString(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a job id (32 hex digits, as `ipdm jobs list` prints)");
        }
    }

    private <T> T call(CompletableFuture<T> future, String what) {
        try {
            return future.get(SAVEPOINT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while " + what);
        } catch (Exception e) {
            throw new ClusterException(
                    what + " on " + jobManager + " failed: " + LocalCluster.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
