package io.ipdm.connectors.solana.archive.reader;

import io.ipdm.connectors.lakes.LakeBlocks;
import io.ipdm.connectors.lakes.faithful.FaithfulNeeds;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.SplitQueueReader;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveRange;
import io.ipdm.connectors.solana.archive.BlockReader;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveReaderDone;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;

/**
 * Reads its splits in the order they are assigned (the enumerator's) and, in each, one block per
 * {@link #pollNext}: the block's rows go out together, so a checkpoint falls between blocks and the
 * split's state (the offset after the last emitted block) resumes without loss or repeat. Every
 * block must carry a slot of the split's range, above the one before; a split must end with its
 * last slot's Block node, or the slot index it came from is wrong and the read fails naming it.
 *
 * <p>Threading: every method is called by the task's mailbox thread (read-ahead runs on its own).
 */
public final class ArchiveReader extends SplitQueueReader<ArchiveSplit> {
    private final Projection projection;
    private final ArchiveOptions options;
    private final FaithfulNeeds needs;
    private final Map<String, ArchiveRange> ranges = new HashMap<>();
    private final Counter blocksRead;
    private final Counter transactionsRead;
    private final Counter filteredOut;
    private final Counter readInOrder;
    private final Set<String> saidInOrder = new HashSet<>();
    private boolean opened; // the current split was just opened: nothing read from it yet
    private final FilteredRows rows;
    private LakeBlocks lake;

    private ArchiveSplit current;
    private BlockReader blocks;
    private final SourceReaderContext context;
    private boolean saidDone;

    public ArchiveReader(SourceReaderContext context, SolanaTable table, ArchiveOptions options) {
        this(context, Projection.all(table), options);
    }

    /** Emits the projected columns; what none of them needs is not decoded. */
    public ArchiveReader(
            SourceReaderContext context, Projection projection, ArchiveOptions options) {
        super(context); // in the order assigned: the enumerator's (slot, or block time) order
        this.context = context;
        this.projection = projection;
        this.options = options;
        this.needs = FaithfulNeeds.of(projection);
        this.blocksRead = context.metricGroup().counter("archiveBlocks");
        this.transactionsRead = context.metricGroup().counter("archiveTransactions");
        this.rows = new FilteredRows(projection);
        this.filteredOut = context.metricGroup().counter(FilteredRows.METRIC);
        this.readInOrder = context.metricGroup().counter(READ_IN_ORDER_METRIC);
    }

    /**
     * Archives this reader reads as one stream in order because their server has no range reads
     * (known after the first read; counted once per archive and reader), so {@code ipdm run} can
     * say the backfill was not range-parallel.
     */
    public static final String READ_IN_ORDER_METRIC = "archivesReadInOrder";

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        while (current == null) {
            ArchiveSplit next = nextSplit();
            if (next == null) {
                InputStatus s = noSplit();
                if (s == InputStatus.END_OF_INPUT && !saidDone) {
                    saidDone = true;
                    context.sendSourceEventToCoordinator(new ArchiveReaderDone());
                }
                return s;
            }
            if (!next.finished()) {
                open(next);
            }
        }
        SolanaBlock block;
        try {
            block = blocks.next(current);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (block == null) {
            throw new ArchiveException(
                    current.location()
                            + ": the range of slots "
                            + current.firstSlot()
                            + "-"
                            + current.lastSlot()
                            + " ends at offset "
                            + current.end()
                            + " after "
                            + current.done()
                            + " of its "
                            + current.blocks()
                            + " blocks; "
                            + indexHint(current));
        }
        check(block);
        if (opened) {
            opened = false;
            ArchiveRange range = ranges.get(current.location());
            if (range != null && !range.randomAccess() && saidInOrder.add(current.location())) {
                readInOrder.inc();
            }
        }
        long droppedBefore = rows.dropped();
        for (Row row : rows.rowsOfFiltered(block)) {
            output.collect(row, projection.eventTimeMillis(row));
        }
        filteredOut.inc(rows.dropped() - droppedBefore);
        blocksRead.inc();
        transactionsRead.inc(rows.lastTransactions());
        current = current.advance(blocks.position(), block.slot(), block.blockhash());
        if (current.finished()) {
            if (current.done() != current.blocks() || block.slot() != current.lastSlot()) {
                throw new ArchiveException(
                        current.location()
                                + ": the range ending at offset "
                                + current.end()
                                + " should end with slot "
                                + current.lastSlot()
                                + " as its block "
                                + current.blocks()
                                + ", but ends with slot "
                                + block.slot()
                                + " as its block "
                                + current.done()
                                + "; "
                                + indexHint(current));
            }
            current = null;
            blocks.close();
            blocks = null;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private void check(SolanaBlock block) {
        long slot = block.slot();
        if (slot < current.firstSlot()
                || slot > current.lastSlot()
                || (current.done() > 0 && slot <= current.previousSlot())) {
            throw new ArchiveException(
                    current.location()
                            + ": at offset "
                            + current.start()
                            + " found slot "
                            + slot
                            + " where the range "
                            + current.firstSlot()
                            + "-"
                            + current.lastSlot()
                            + " continues after slot "
                            + current.previousSlot()
                            + "; "
                            + indexHint(current));
        }
    }

    private static String indexHint(ArchiveSplit s) {
        return s.kind() == ArchiveSplit.DAG
                ? "the Subset node's block list does not match its blocks"
                : s.index().endsWith(".slots")
                        ? "the slot index "
                                + s.index()
                                + " does not match the archive (delete it to rebuild it)"
                        : "Old Faithful's indexes "
                                + s.index()
                                + " do not match the archive: rebuild them, or drop the index"
                                + " option to scan the archive instead";
    }

    private void open(ArchiveSplit split) {
        current = split;
        opened = true;
        if (split.kind() == ArchiveSplit.DAG) {
            if (lake == null) {
                lake =
                        LakeBlocks.open(
                                options.lakeDir(), options.peers(), options.requestTimeout());
            }
            blocks = BlockReader.dag(lake, split, needs, rows.decoderFilter());
            return;
        }
        ArchiveRange range =
                ranges.computeIfAbsent(
                        split.location(),
                        l -> {
                            try {
                                return ArchiveRange.open(l, options);
                            } catch (IOException e) {
                                throw new ArchiveException(
                                        l + ": cannot open the archive: " + e.getMessage(), e);
                            }
                        });
        blocks = BlockReader.car(range, options, split, needs, rows.decoderFilter());
    }

    @Override
    protected ArchiveSplit currentPosition() {
        return current;
    }

    @Override
    public void close() {
        if (blocks != null) {
            blocks.close();
        }
        for (ArchiveRange r : ranges.values()) {
            try {
                r.close();
            } catch (IOException e) {
                // closing a read-only handle; nothing to recover
            }
        }
        if (lake != null) {
            lake.close();
        }
    }
}
