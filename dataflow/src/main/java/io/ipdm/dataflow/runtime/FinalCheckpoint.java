package io.ipdm.dataflow.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.operators.SourceOperatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a bounded run as soon as its input is processed. With checkpoints on, Flink keeps every task
 * (and so the job) running after its input ended until a checkpoint taken after that completes (the
 * final checkpoint, which commits what two-phase sinks wrote last), and only the periodic schedule
 * starts one: the end of a backfill waited up to {@code checkpoint_interval} doing nothing. This
 * watches the run's counters and, once every task has seen the final watermark ({@link
 * RunCounters#inputsEnded}), triggers that checkpoint at once, and again after any that did not end
 * the job (one taken just before a task finished). The checkpoints are the ones Flink would take
 * anyway, only earlier. A job with a source that never ends ({@link #mayEnd}) is not watched.
 */
final class FinalCheckpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FinalCheckpoint.class);

    /** How often the counters are looked at while the job runs. */
    static final long POLL_MILLIS = 25;

    /** How long the job gets to end after a triggered checkpoint completed, before another. */
    static final long SETTLE_MILLIS = 200;

    private final MiniCluster cluster;
    private final JobID job;
    private final RunCounters counters;
    private final CompletableFuture<?> done;
    private final Thread thread;
    private volatile int triggered;

    private FinalCheckpoint(
            MiniCluster cluster, JobID job, RunCounters counters, CompletableFuture<?> done) {
        this.cluster = cluster;
        this.job = job;
        this.counters = counters;
        this.done = done;
        this.thread = new Thread(this::run, "ipdm-final-checkpoint");
        thread.setDaemon(true);
    }

    /**
     * Whether the job of {@code graph} can end by itself, so its end is worth watching for: no
     * source declares itself unbounded. One unbounded source keeps the job (and every task
     * downstream of it) running, so the counters never say the inputs ended. A source that does not
     * say (not a FLIP-27 source) counts as one that may end.
     */
    static boolean mayEnd(StreamGraph graph) {
        for (Integer id : graph.getSourceIDs()) {
            if (graph.getStreamNode(id).getOperatorFactory() instanceof SourceOperatorFactory<?> s
                    && s.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED) {
                return false;
            }
        }
        return true;
    }

    /** Starts watching the job until {@code done} completes. */
    static FinalCheckpoint start(
            MiniCluster cluster, JobID job, RunCounters counters, CompletableFuture<?> done) {
        FinalCheckpoint f = new FinalCheckpoint(cluster, job, counters, done);
        f.thread.start();
        return f;
    }

    /** Checkpoints triggered so far. */
    int triggered() {
        return triggered;
    }

    private void run() {
        try {
            while (!done.isDone()) {
                if (!counters.inputsEnded()) {
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                triggered++;
                try {
                    cluster.triggerCheckpoint(job).get(1, TimeUnit.MINUTES);
                } catch (ExecutionException | TimeoutException e) {
                    // declined (a task was finishing) or the job ended meanwhile: the next round
                    // or the periodic schedule takes it
                    LOG.debug("final checkpoint of job {} not taken: {}", job, e.toString());
                }
                try {
                    done.get(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // a task had not finished when the checkpoint was taken: take another
                } catch (ExecutionException failed) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not trigger the final checkpoint of job {}", job, e);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
