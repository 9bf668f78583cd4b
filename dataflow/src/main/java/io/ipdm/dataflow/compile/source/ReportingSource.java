package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.rpc.enumerator.RpcSplitRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.watermark.Watermark;
import org.apache.flink.api.common.watermark.WatermarkDeclaration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A source whose readers fail so that the job reports their own error.
 *
 * <p>Why: a reader asks its enumerator for the next split before reading the one it has (so it
 * rarely waits). When reading that split fails, the answer (a split, or "no more") is still on its
 * way; if it reaches the task after the task went FAILED but before the TaskManager told the
 * JobMaster so, the JobMaster fails the task with its own "operator event was lost" error ({@code
 * TaskNotRunningException}) and then ignores the task's report: the decode error naming file, slot
 * and transaction never reaches the exception history. So a reader that fails with a split request
 * unanswered holds its error until the answer arrives (at most {@link #ANSWER_WAIT}, for an
 * enumerator that keeps requests waiting) and only then throws it: no event is in flight when the
 * task fails, on a MiniCluster or a real cluster alike. A checkpoint taken meanwhile fails with the
 * same error (the failed split must not be checkpointed as read).
 *
 * <p>Each reader also records its first error in {@link TaskFailures}, for the embedded runner to
 * fall back on whatever else reaches the JobMaster first (an unsolicited event, a checkpoint).
 *
 * <p>Threading: the reader's methods run on the task's mailbox thread; only the hold's deadline
 * fires on another.
 */
public final class ReportingSource<T, S extends SourceSplit, E> implements Source<T, S, E> {
    private static final long serialVersionUID = 1L;

    /** How long a failed reader waits for the answer to its split request. */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

    private final Source<T, S, E> source;

    private ReportingSource(Source<T, S, E> source) {
        this.source = source;
    }

    /** {@code source} with its readers reporting as above. */
    public static <T, S extends SourceSplit, E> Source<T, S, E> of(Source<T, S, E> source) {
        return source instanceof ReportingSource ? source : new ReportingSource<>(source);
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> context)
            throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> context, E state)
            throws Exception {
        return source.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public Set<? extends WatermarkDeclaration> declareWatermarks() {
        return source.declareWatermarks();
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        Reader<T, S> reader =
                new Reader<>(context.metricGroup().getAllVariables().get("<job_id>"), ANSWER_WAIT);
        reader.start(source.createReader(reader.context(context)));
        return reader;
    }

    /** The reading side; package-private for its test. */
    static final class Reader<T, S extends SourceSplit> implements SourceReader<T, S> {
        private final String jobId;
        private final Duration answerWait;
        private SourceReader<T, S> reader;
        // a split request sent and not answered yet
        private boolean awaitingAnswer;
        private Exception held;
        private CompletableFuture<Void> released;

        Reader(String jobId, Duration answerWait) {
            this.jobId = jobId;
            this.answerWait = answerWait;
        }

        void start(SourceReader<T, S> reader) {
            this.reader = reader;
        }

        /** {@code context}, telling this reader when a split request goes out. */
        SourceReaderContext context(SourceReaderContext context) {
            return new SourceReaderContext() {
                @Override
                public SourceReaderMetricGroup metricGroup() {
                    return context.metricGroup();
                }

                @Override
                public Configuration getConfiguration() {
                    return context.getConfiguration();
                }

                @Override
                public String getLocalHostName() {
                    return context.getLocalHostName();
                }

                @Override
                public int getIndexOfSubtask() {
                    return context.getIndexOfSubtask();
                }

                @Override
                public void sendSplitRequest() {
                    awaitingAnswer = true;
                    context.sendSplitRequest();
                }

                @Override
                public void sendSourceEventToCoordinator(SourceEvent event) {
                    // the live Solana reader asks for its split with an event (see the class)
                    if (event instanceof RpcSplitRequest) {
                        awaitingAnswer = true;
                    }
                    context.sendSourceEventToCoordinator(event);
                }

                @Override
                public UserCodeClassLoader getUserCodeClassLoader() {
                    return context.getUserCodeClassLoader();
                }

                @Override
                public int currentParallelism() {
                    return context.currentParallelism();
                }

                @Override
                public void emitWatermark(Watermark watermark) {
                    context.emitWatermark(watermark);
                }
            };
        }

        @Override
        public void start() {
            try {
                reader.start();
            } catch (RuntimeException e) {
                throw recorded(e);
            }
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (held != null) {
                if (awaitingAnswer && !released.isDone()) {
                    return InputStatus.NOTHING_AVAILABLE;
                }
                throw held;
            }
            try {
                return reader.pollNext(output);
            } catch (Exception e) {
                if (!awaitingAnswer) {
                    throw recorded(e);
                }
                held = recorded(e);
                CompletableFuture<Void> deadline = new CompletableFuture<>();
                released = deadline;
                CompletableFuture.delayedExecutor(answerWait.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> deadline.complete(null));
                return InputStatus.NOTHING_AVAILABLE;
            }
        }

        private <X extends Exception> X recorded(X e) {
            // a reader ended by the task's cancellation (another task failed) did not fail itself
            if (!Thread.currentThread().isInterrupted() && !interrupted(e)) {
                TaskFailures.record(jobId, e);
            }
            return e;
        }

        private static boolean interrupted(Throwable e) {
            for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof InterruptedException
                        || t instanceof java.io.InterruptedIOException
                        || t instanceof java.nio.channels.ClosedByInterruptException) {
                    return true;
                }
            }
            return false;
        }

        /** An answer to the split request came: a held error is thrown at the next poll. */
        private boolean answered() {
            awaitingAnswer = false;
            if (held != null) {
                released.complete(null);
                return false;
            }
            return true;
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            if (held != null) {
                throw held instanceof RuntimeException r ? r : new FlinkRuntimeException(held);
            }
            return reader.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return held != null ? released : reader.isAvailable();
        }

        @Override
        public void addSplits(List<S> splits) {
            if (answered()) {
                try {
                    reader.addSplits(splits);
                } catch (RuntimeException e) {
                    throw recorded(e);
                }
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            if (answered()) {
                try {
                    reader.notifyNoMoreSplits();
                } catch (RuntimeException e) {
                    throw recorded(e);
                }
            }
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            if (held == null) {
                try {
                    reader.handleSourceEvents(event);
                } catch (RuntimeException e) {
                    throw recorded(e);
                }
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(
                Collection<String> splitsToPause, Collection<String> splitsToResume) {
            reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }
}
