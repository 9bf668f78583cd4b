package io.ipdm.dataflow.compile.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.replay.reader.ReplayReader;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
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
    private final String jobId = "job-" + System.nanoTime();
    private final TestReaderContext context = new TestReaderContext();
    // every poll's rows: none is expected, the only block being corrupt (or never fetched)
    private final CollectingOutput output = new CollectingOutput();
    private ReplaySplit corrupt;

    @BeforeEach
    void corruptFile() throws Exception {
        Path file = tmp.resolve("block_5.json");
        Files.writeString(file, "{\"blockhash\":\"x\",\"parentSlot\":4,\"transactions\":[{\"tr");
        corrupt = new ReplaySplit(file.toString(), 5, 0, 0);
    }

    @AfterEach
    void noRowEmitted() {
        assertThat(output.rows).as("rows emitted").isEmpty();
    }

    private ReportingSource.Reader<Row, ReplaySplit> reader(Duration wait) {
        ReportingSource.Reader<Row, ReplaySplit> reader = new ReportingSource.Reader<>(jobId, wait);
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
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(context.splitRequests).isEqualTo(2);
        assertThat(reader.isAvailable()).isNotDone();
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        // the failed split is not checkpointed as read
        assertThatThrownBy(() -> reader.snapshotState(1)).isInstanceOf(SolanaDecodeException.class);

        reader.notifyNoMoreSplits();
        assertThat(reader.isAvailable()).isDone();
        assertThatThrownBy(() -> reader.pollNext(output))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessageStartingWith(corrupt.path() + ": slot 5");
        Throwable recorded = TaskFailures.take(jobId);
        assertThat(recorded).isInstanceOf(SolanaDecodeException.class);
        assertThat(TaskFailures.take(jobId)).isNull();
    }

    @Test
    void withNoRequestOutTheErrorIsThrownAtOnce() throws Exception {
        ReportingSource.Reader<Row, ReplaySplit> reader = reader(LONG);
        reader.addSplits(List.of(corrupt, corrupt.withRecordsEmitted(0)));
        // a second split is queued: no request goes out before the first fails
        assertThatThrownBy(() -> reader.pollNext(output)).isInstanceOf(SolanaDecodeException.class);
        assertThat(context.splitRequests).isEqualTo(1);
        assertThat(TaskFailures.take(jobId)).isInstanceOf(SolanaDecodeException.class);
    }

    @Test
    void anEnumeratorThatKeepsTheRequestWaitingDelaysTheErrorOnlyUntilTheDeadline()
            throws Exception {
        ReportingSource.Reader<Row, ReplaySplit> reader = reader(Duration.ofMillis(1));
        reader.addSplits(List.of(corrupt));
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        reader.isAvailable().get(1, TimeUnit.MINUTES);
        assertThatThrownBy(() -> reader.pollNext(output)).isInstanceOf(SolanaDecodeException.class);
        TaskFailures.take(jobId);
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
                new ReportingSource.Reader<>(jobId, LONG);
        reader.start(
                new io.ipdm.connectors.solana.rpc.reader.RpcReader(
                        reader.context(context), o, Projection.all(SolanaTable.BLOCKS)));
        reader.start();
        reader.addSplits(List.of(new io.ipdm.connectors.solana.rpc.split.RpcSplit(100, 200)));
        // starting the split asks for the next one (an RpcSplitRequest); then getSlot fails
        for (int i = 0; i < 300; i++) {
            reader.pollNext(output);
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
        assertThatThrownBy(() -> reader.pollNext(output))
                .hasMessageContaining("getSlot")
                .hasMessageContaining("connection refused");
        TaskFailures.take(jobId);
    }
}
