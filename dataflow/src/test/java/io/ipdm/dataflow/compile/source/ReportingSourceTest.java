package io.ipdm.dataflow.compile.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.replay.reader.ReplayReader;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.types.Row;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ordering that lost the decode error under load, forced: the real replay reader fails on a
 * corrupt file while its request for the next split is still unanswered. The error must not leave
 * the reader (failing the task) until the answer is in, so no coordinator event can reach the
 * failed task and fail it first with Flink's "Task is not running".
 */
class ReportingSourceTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    @TempDir Path tmp;
    private final Context context = new Context("job-" + System.nanoTime());
    private ReplaySplit corrupt;

    @BeforeEach
    void corruptFile() throws Exception {
        Path file = tmp.resolve("block_5.json");
        Files.writeString(file, "{\"blockhash\":\"x\",\"parentSlot\":4,\"transactions\":[{\"tr");
        corrupt = new ReplaySplit(file.toString(), 5, 0, 0);
    }

    private ReportingSource.Reader<Row, ReplaySplit> reader(Duration wait) {
        ReportingSource.Reader<Row, ReplaySplit> reader =
                new ReportingSource.Reader<>(context.jobId, wait);
        reader.start(
                new ReplayReader(
                        reader.context(context),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL));
        reader.start();
        return reader;
    }

    @Test
    void aReaderFailingWithASplitRequestOutThrowsOnlyOnceItIsAnswered() throws Exception {
        ReportingSource.Reader<Row, ReplaySplit> reader = reader(LONG);
        assertThat(context.splitRequests).isEqualTo(1);
        reader.addSplits(List.of(corrupt));

        // starting the split asks for the next one, then decoding it fails
        assertThat(reader.pollNext(new NoOutput())).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(context.splitRequests).isEqualTo(2);
        assertThat(reader.isAvailable()).isNotDone();
        assertThat(reader.pollNext(new NoOutput())).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        // the failed split is not checkpointed as read
        assertThatThrownBy(() -> reader.snapshotState(1)).isInstanceOf(SolanaDecodeException.class);

        reader.notifyNoMoreSplits();
        assertThat(reader.isAvailable()).isDone();
        assertThatThrownBy(() -> reader.pollNext(new NoOutput()))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessageStartingWith(corrupt.path() + ": slot 5");
        Throwable recorded = TaskFailures.take(context.jobId);
        assertThat(recorded).isInstanceOf(SolanaDecodeException.class);
        assertThat(TaskFailures.take(context.jobId)).isNull();
    }

    @Test
    void withNoRequestOutTheErrorIsThrownAtOnce() throws Exception {
        ReportingSource.Reader<Row, ReplaySplit> reader = reader(LONG);
        reader.addSplits(List.of(corrupt, corrupt.withRecordsEmitted(0)));
        // a second split is queued: no request goes out before the first fails
        assertThatThrownBy(() -> reader.pollNext(new NoOutput()))
                .isInstanceOf(SolanaDecodeException.class);
        assertThat(context.splitRequests).isEqualTo(1);
        assertThat(TaskFailures.take(context.jobId)).isInstanceOf(SolanaDecodeException.class);
    }

    @Test
    void anEnumeratorThatKeepsTheRequestWaitingDelaysTheErrorOnlyUntilTheDeadline()
            throws Exception {
        ReportingSource.Reader<Row, ReplaySplit> reader = reader(Duration.ofMillis(1));
        reader.addSplits(List.of(corrupt));
        assertThat(reader.pollNext(new NoOutput())).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        reader.isAvailable().get(1, TimeUnit.MINUTES);
        assertThatThrownBy(() -> reader.pollNext(new NoOutput()))
                .isInstanceOf(SolanaDecodeException.class);
        TaskFailures.take(context.jobId);
    }

    @Test
    void theLiveReadersSplitRequestEventCountsAsARequestOut() throws Exception {
        int port;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed here: connections to it are refused
        }
        io.ipdm.connectors.solana.rpc.RpcOptions o =
                io.ipdm.connectors.solana.rpc.RpcOptions.builder(
                                java.net.URI.create("http://127.0.0.1:" + port))
                        .maxAttempts(1)
                        .build();
        ReportingSource.Reader<Row, io.ipdm.connectors.solana.rpc.split.RpcSplit> reader =
                new ReportingSource.Reader<>(context.jobId, LONG);
        reader.start(
                new io.ipdm.connectors.solana.rpc.reader.RpcReader(
                        reader.context(context), o, Projection.all(SolanaTable.BLOCKS)));
        reader.start();
        reader.addSplits(List.of(new io.ipdm.connectors.solana.rpc.split.RpcSplit(100, 200)));
        // starting the split asks for the next one (an RpcSplitRequest); then getSlot fails
        for (int i = 0; i < 300; i++) {
            reader.pollNext(new NoOutput());
            try {
                reader.snapshotState(1);
            } catch (RuntimeException held) {
                break;
            }
            try {
                reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // poll again
            }
        }
        assertThatThrownBy(() -> reader.snapshotState(1)).hasMessageContaining("getSlot");
        assertThat(context.events).hasSize(2); // at start, and when the split was started
        assertThat(reader.isAvailable()).isNotDone();
        reader.notifyNoMoreSplits();
        assertThatThrownBy(() -> reader.pollNext(new NoOutput()))
                .hasMessageContaining("getSlot")
                .hasMessageContaining("connection refused");
        TaskFailures.take(context.jobId);
    }

    /** A reader context whose metric group carries a job id, as a task's does. */
    private static final class Context implements SourceReaderContext {
        final String jobId;
        int splitRequests;
        final List<SourceEvent> events = new java.util.ArrayList<>();
        private final SourceReaderMetricGroup metrics;

        Context(String jobId) {
            this.jobId = jobId;
            this.metrics =
                    InternalSourceReaderMetricGroup.mock(
                            new UnregisteredMetricsGroup() {
                                @Override
                                public Map<String, String> getAllVariables() {
                                    return Map.of("<job_id>", jobId);
                                }
                            });
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            return metrics;
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {
            splitRequests++;
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
            events.add(sourceEvent);
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }

    private static final class NoOutput implements ReaderOutput<Row> {
        @Override
        public void collect(Row record) {
            throw new AssertionError("no row expected");
        }

        @Override
        public void collect(Row record, long timestamp) {
            throw new AssertionError("no row expected");
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<Row> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
