package io.ipdm.connectors.solana.replay.reader;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SplitQueueReader;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one file at a time and emits its rows, at most {@link #BATCH} per {@link #pollNext} so
 * checkpoints can come in between. The position within the current file is the number of rows
 * emitted; on restore those are skipped (decoding is deterministic).
 *
 * <p>Threading: every method is called by the task's mailbox thread.
 */
public final class ReplayReader extends SplitQueueReader<ReplaySplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayReader.class);
    static final int BATCH = 1024;

    private final Projection projection;
    private final CorruptBlockPolicy policy;
    private final Counter corruptBlocks;
    private final boolean verifySignatures;
    private final FilteredRows filtered;
    private final Counter filteredOut;

    private ReplaySplit current;
    private List<Row> rows;
    // with a pushed-down filter: each row's position among the file's unfiltered rows, which is
    // what a split's state counts (so it does not depend on the filter)
    private int[] origins;
    private int unfilteredRows;
    private int position;

    public ReplayReader(
            SourceReaderContext context, Projection projection, CorruptBlockPolicy policy) {
        this(context, projection, policy, false);
    }

    /** With {@code verifySignatures}, a transaction whose signatures do not verify is corrupt. */
    public ReplayReader(
            SourceReaderContext context,
            Projection projection,
            CorruptBlockPolicy policy,
            boolean verifySignatures) {
        // Earliest block first: after a restore at lower parallelism one reader holds several
        // splits and, with one watermark per reader, a later split read first makes the earlier
        // one late.
        super(context, ReplaySplit.REPLAY_ORDER);
        this.projection = projection;
        this.verifySignatures = verifySignatures;
        this.policy = policy;
        this.corruptBlocks = context.metricGroup().counter("corruptBlocks");
        this.filtered = new FilteredRows(projection);
        this.filteredOut = context.metricGroup().counter(FilteredRows.METRIC);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        while (current == null) {
            ReplaySplit next = nextSplit();
            if (next == null) {
                return noSplit();
            }
            open(next);
        }
        int end = Math.min(rows.size(), position + BATCH);
        for (; position < end; position++) {
            Row row = rows.get(position);
            output.collect(row, projection.eventTimeMillis(row));
        }
        if (position >= rows.size()) {
            current = null;
            rows = null;
            origins = null;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private void open(ReplaySplit split) {
        try {
            long droppedBefore = filtered.dropped();
            rows =
                    filtered.rowsOfFiltered(
                            GetBlockDecoder.decodeFile(
                                    Path.of(split.path()),
                                    projection,
                                    verifySignatures,
                                    filtered.decoderFilter()));
            origins = filtered.origins();
            unfilteredRows = filtered.lastTransactions();
            filteredOut.inc(filtered.dropped() - droppedBefore);
        } catch (SolanaDecodeException e) {
            if (policy == CorruptBlockPolicy.FAIL) {
                throw e;
            }
            LOG.warn("skipping corrupt block: {}", e.getMessage());
            corruptBlocks.inc();
            return;
        }
        current = split;
        if (origins == null) {
            position = (int) Math.min(split.recordsEmitted(), rows.size());
        } else {
            position = 0;
            while (position < origins.length && origins[position] < split.recordsEmitted()) {
                position++;
            }
        }
    }

    @Override
    protected ReplaySplit currentPosition() {
        if (current == null) {
            return null;
        }
        if (origins == null) {
            return current.withRecordsEmitted(position);
        }
        return current.withRecordsEmitted(
                position < origins.length ? origins[position] : unfilteredRows);
    }
}
