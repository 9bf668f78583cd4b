package io.ipdm.connectors.solana.replay.reader;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
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
public final class ReplayReader implements SourceReader<Row, ReplaySplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayReader.class);
    static final int BATCH = 1024;

    private final SourceReaderContext context;
    private final SolanaTable table;
    private final CorruptBlockPolicy policy;
    private final ArrayDeque<ReplaySplit> queue = new ArrayDeque<>();
    private final Counter corruptBlocks;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private boolean requested;

    private ReplaySplit current;
    private List<Row> rows;
    private int position;

    public ReplayReader(SourceReaderContext context, SolanaTable table, CorruptBlockPolicy policy) {
        this.context = context;
        this.table = table;
        this.policy = policy;
        this.corruptBlocks = context.metricGroup().counter("corruptBlocks");
    }

    @Override
    public void start() {
        if (queue.isEmpty()) {
            request();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        while (current == null) {
            ReplaySplit next = queue.poll();
            if (next == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                request();
                if (available.isDone()) {
                    available = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            open(next);
        }
        int end = Math.min(rows.size(), position + BATCH);
        for (; position < end; position++) {
            Row row = rows.get(position);
            output.collect(row, table.eventTimeMillis(row));
        }
        if (position >= rows.size()) {
            current = null;
            rows = null;
            if (queue.isEmpty() && !noMoreSplits) {
                request();
            }
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private void open(ReplaySplit split) {
        try {
            rows = SolanaRows.rows(GetBlockDecoder.decodeFile(Path.of(split.path())), table);
        } catch (SolanaDecodeException e) {
            if (policy == CorruptBlockPolicy.FAIL) {
                throw e;
            }
            LOG.warn("skipping corrupt block: {}", e.getMessage());
            corruptBlocks.inc();
            return;
        }
        current = split;
        position = (int) Math.min(split.recordsEmitted(), rows.size());
    }

    private void request() {
        if (!requested) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public List<ReplaySplit> snapshotState(long checkpointId) {
        List<ReplaySplit> state = new ArrayList<>(queue.size() + 1);
        if (current != null) {
            state.add(current.withRecordsEmitted(position));
        }
        state.addAll(queue);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<ReplaySplit> splits) {
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
