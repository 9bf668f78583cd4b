package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.spec.PipelineSpec;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs a pipeline on an embedded Flink MiniCluster with its REST API and Web UI on a free loopback
 * port. The job can be stopped with a savepoint ({@link #stop}, or after {@code stopAfter}) and
 * resumed from one.
 */
public final class LocalRunner implements AutoCloseable {
    private final CompiledPipeline pipeline;
    private final RunOptions options;
    private final AtomicReference<String> savepoint = new AtomicReference<>();
    private MiniCluster cluster;
    private JobID jobId;
    private URI webUi;
    private volatile boolean stopping;
    private RunCounters counters;
    private JobMetrics metrics;

    public LocalRunner(CompiledPipeline pipeline, RunOptions options) {
        this.pipeline = pipeline;
        this.options = options;
    }

    /**
     * Starts the cluster and submits the compiled pipeline (restoring from {@code fromSavepoint} if
     * set); returns the Web UI address.
     */
    public URI start() throws Exception {
        PipelineSpec spec = pipeline.spec();
        StreamGraph graph = pipeline.graph();
        if (options.fromSavepoint() != null) {
            graph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(
                            pipeline.savepointLocation(options.fromSavepoint()), false));
        }
        int slots = Math.max(spec.runtime().parallelism(), 1);
        Configuration conf = new Configuration(pipeline.config());
        if (options.metrics() != null) {
            options.metrics().apply(conf);
        }
        counters = new RunCounters(graph);
        counters.apply(conf);
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        webUi = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
        JobGraph jobGraph = graph.getJobGraph(LocalRunner.class.getClassLoader(), new JobID());
        jobId = cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS).getJobID();
        metrics = new JobMetrics(counters, graph);
        return webUi;
    }

    public JobID jobId() {
        return jobId;
    }

    public URI webUi() {
        return webUi;
    }

    /** The running job's counts, watermark and checkpoints (after {@link #start}). */
    public JobMetrics metrics() {
        return metrics;
    }

    /** Waits for the end, stopping with a savepoint after {@code stopAfter} if set. */
    public RunResult await() throws InterruptedException {
        long started = System.currentTimeMillis();
        CompletableFuture<JobResult> done = cluster.requestJobResult(jobId);
        // without checkpoints a bounded job ends when its input does; with them, at a checkpoint
        FinalCheckpoint finalCheckpoint =
                pipeline.spec().runtime().checkpointInterval().isZero()
                                || !FinalCheckpoint.mayEnd(pipeline.graph())
                        ? null
                        : FinalCheckpoint.start(cluster, jobId, counters, done);
        Progress progress = null;
        if (options.progress()) {
            progress = new Progress(metrics, options.progressInterval());
            progress.start();
        }
        try {
            JobResult result;
            try {
                if (options.stopAfter() != null) {
                    try {
                        result = done.get(options.stopAfter().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException t) {
                        stop();
                        result = done.get();
                    }
                } else {
                    result = done.get();
                }
            } catch (ExecutionException e) {
                return new RunResult(
                        RunResult.Outcome.FAILED,
                        null,
                        failureCause(e),
                        elapsed(started),
                        metrics.counted());
            }
            JobMetrics.Snapshot end = metrics.counted();
            if (progress != null) {
                progress.finish(end);
                progress = null;
            }
            if (!result.isSuccess()) {
                Throwable t =
                        result.getSerializedThrowable()
                                .map(
                                        s ->
                                                (Throwable)
                                                        s.deserializeError(
                                                                getClass().getClassLoader()))
                                .orElse(
                                        new IllegalStateException(
                                                "job ended as " + result.getJobStatus()));
                return new RunResult(
                        RunResult.Outcome.FAILED, null, failureCause(t), elapsed(started), end);
            }
            String sp = savepoint.get();
            return new RunResult(
                    sp != null ? RunResult.Outcome.STOPPED : RunResult.Outcome.FINISHED,
                    sp,
                    null,
                    elapsed(started),
                    end);
        } finally {
            if (finalCheckpoint != null) {
                finalCheckpoint.close();
            }
            if (progress != null) {
                progress.finish(null);
            }
        }
    }

    /** Stops the running job with a savepoint and returns the savepoint's path. */
    public String stop() {
        if (stopping || cluster == null || jobId == null) {
            return savepoint.get();
        }
        stopping = true;
        // null: the configured default, <state_dir>/savepoints (FlinkConfig)
        String dir =
                options.savepointDir() == null
                        ? null
                        : pipeline.savepointLocation(options.savepointDir());
        try {
            String path =
                    cluster.stopWithSavepoint(jobId, dir, false, SavepointFormatType.CANONICAL)
                            .get(5, TimeUnit.MINUTES);
            savepoint.set(path);
            return path;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not stop with a savepoint: "
                            + ExceptionUtils.stripExecutionException(e).getMessage(),
                    e);
        }
    }

    private static long elapsed(long started) {
        return System.currentTimeMillis() - started;
    }

    /**
     * A module's error when a WASM stage failed the job (see ModuleFailures), else the error the
     * job failed by (see FailureCause).
     */
    private Throwable failureCause(Throwable t) {
        Throwable wasm = ModuleFailures.find(t);
        if (wasm == null) {
            wasm = ModuleFailures.inHistory(cluster, jobId);
        }
        return wasm != null ? wasm : FailureCause.of(t, cluster, jobId);
    }

    @Override
    public void close() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (counters != null) {
                counters.close();
            }
        }
    }
}
