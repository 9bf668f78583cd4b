package io.ipdm.connectors.solana.synthetic.reader;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.SlotGenerator;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;

/**
 * Emits one whole slot per {@link #pollNext}, so the checkpointed position is just the next slot.
 * Asks for the next split as soon as it starts one, so it never waits on the coordinator. With a
 * target rate it paces by transactions generated, sharing the rate equally among readers.
 *
 * <p>Splits are read lowest slot first, whatever order they arrive in. The reader has one watermark
 * for all its splits, so a later split read first would make the earlier one late and its windows
 * would be dropped: this happens on restore at a lower parallelism, when one reader gets the
 * in-progress splits of several (e.g. slots 4500.. and 12000.. in either order).
 *
 * <p>Threading: every method is called by the task's mailbox thread.
 */
public final class SyntheticReader implements SourceReader<Row, SlotRangeSplit> {
    private final SourceReaderContext context;
    private final SolanaTable table;
    private final SlotGenerator generator;
    private final double ratePerReader;
    private final PriorityQueue<SlotRangeSplit> queue =
            new PriorityQueue<>(Comparator.comparingLong(SlotRangeSplit::next));
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private boolean requested;
    private SlotRangeSplit current;
    private long nextSlot;
    private long startNanos = -1;
    private long generatedTx;

    public SyntheticReader(
            SourceReaderContext context, SyntheticOptions options, SolanaTable table) {
        this.context = context;
        this.table = table;
        this.generator = new SlotGenerator(options);
        this.ratePerReader = options.targetRate() / Math.max(1, context.currentParallelism());
    }

    @Override
    public void start() {
        request();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        if (current == null) {
            current = queue.poll();
            if (current == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                request();
                return waitForSplits();
            }
            nextSlot = current.next();
            if (queue.isEmpty() && !noMoreSplits) {
                request();
            }
        }
        if (ratePerReader > 0 && !onSchedule()) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        generatedTx += generator.generate(nextSlot, table, output::collect);
        nextSlot++;
        if (nextSlot >= current.end()) {
            current = null;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** False (with availability set to a timer) when ahead of the target rate. */
    private boolean onSchedule() {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now;
        }
        long due = startNanos + (long) (generatedTx * 1e9 / ratePerReader);
        if (now >= due) {
            return true;
        }
        available =
                CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(due - now, TimeUnit.NANOSECONDS));
        return false;
    }

    private InputStatus waitForSplits() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void request() {
        if (!requested) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public List<SlotRangeSplit> snapshotState(long checkpointId) {
        List<SlotRangeSplit> state = new ArrayList<>(queue.size() + 1);
        if (current != null) {
            state.add(current.withNext(nextSlot));
        }
        state.addAll(queue);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<SlotRangeSplit> splits) {
        queue.addAll(splits);
        requested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {}
}
