package io.ipdm.connectors.solana.synthetic.reader;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.SplitQueueReader;
import io.ipdm.connectors.solana.synthetic.SlotGenerator;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;

/**
 * Emits one whole slot per {@link #pollNext}, so the checkpointed position is just the next slot.
 * With a target rate it paces by transactions generated, sharing the rate equally among readers.
 *
 * <p>Splits are read lowest slot first, whatever order they arrive in. The reader has one watermark
 * for all its splits, so a later split read first would make the earlier one late and its windows
 * would be dropped: this happens on restore at a lower parallelism, when one reader gets the
 * in-progress splits of several (e.g. slots 4500.. and 12000.. in either order).
 *
 * <p>Threading: every method is called by the task's mailbox thread.
 */
public final class SyntheticReader extends SplitQueueReader<SlotRangeSplit> {
    private final SolanaTable table;
    private final SlotGenerator generator;
    private final double ratePerReader;
    private SlotRangeSplit current;
    private long nextSlot;
    private long startNanos = -1;
    private long generatedTx;

    public SyntheticReader(
            SourceReaderContext context, SyntheticOptions options, SolanaTable table) {
        this(context, options, table, null);
    }

    /** Emits only {@code columns} (positions in the table, in output order; null for all). */
    public SyntheticReader(
            SourceReaderContext context,
            SyntheticOptions options,
            SolanaTable table,
            int[] columns) {
        super(context, Comparator.comparingLong(SlotRangeSplit::next));
        this.table = table;
        this.generator = new SlotGenerator(options, table, columns);
        this.ratePerReader = options.targetRate() / Math.max(1, context.currentParallelism());
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        if (current == null) {
            current = nextSplit();
            if (current == null) {
                return noSplit();
            }
            nextSlot = current.next();
        }
        if (ratePerReader > 0) {
            long wait = nanosAhead();
            if (wait > 0) {
                return waitFor(
                        CompletableFuture.runAsync(
                                () -> {},
                                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS)));
            }
        }
        generatedTx += generator.generate(nextSlot, table, output::collect);
        nextSlot++;
        if (nextSlot >= current.end()) {
            current = null;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** How far ahead of the target rate this reader is, in nanoseconds (0 or less: on time). */
    private long nanosAhead() {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now;
        }
        return startNanos + (long) (generatedTx * 1e9 / ratePerReader) - now;
    }

    @Override
    protected SlotRangeSplit currentPosition() {
        return current == null ? null : current.withNext(nextSlot);
    }
}
