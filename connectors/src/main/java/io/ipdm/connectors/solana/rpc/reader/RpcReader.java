package io.ipdm.connectors.solana.rpc.reader;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SplitQueueReader;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.connectors.solana.rpc.client.SolanaRpcClient;
import io.ipdm.connectors.solana.rpc.enumerator.RpcSplitRequest;
import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain over JSON-RPC without blocking the task thread: getSlot tells how far it may
 * read, getBlock requests for consecutive slots run asynchronously (up to {@code maxInFlight},
 * decoded on the HTTP client's threads), and blocks are emitted strictly in slot order. Skipped
 * slots are passed over. The checkpointed position is the next slot to emit; requests in flight are
 * simply made again after a restore.
 *
 * <p>Threading: every method is called by the task's mailbox thread; futures complete elsewhere and
 * are only read here.
 */
public final class RpcReader extends SplitQueueReader<RpcSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RpcReader.class);

    /** A decoded block, or null for a skipped slot. */
    private record Pending(long slot, CompletableFuture<SolanaBlock> rows) {}

    private final RpcOptions options;
    private final Projection projection;
    private final boolean verifySignatures;
    private final SolanaRpcClient client;
    private final Counter corruptBlocks;
    private final Counter skippedSlots;
    private final Counter filteredOut;
    private final FilteredRows filtered;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();

    private RpcSplit current;
    private long nextEmit;
    private long nextRequest;
    private long tip = -1;
    private CompletableFuture<Long> tipRequest;
    private long lastTipPoll;

    public RpcReader(SourceReaderContext context, RpcOptions options, Projection projection) {
        this(context, options, projection, false);
    }

    /** With {@code verifySignatures}, a block whose signatures do not verify is corrupt. */
    public RpcReader(
            SourceReaderContext context,
            RpcOptions options,
            Projection projection,
            boolean verifySignatures) {
        super(context);
        this.options = options;
        this.projection = projection;
        this.verifySignatures = verifySignatures;
        this.client =
                new SolanaRpcClient(
                        options.endpoint(),
                        options.requestTimeout(),
                        options.initialBackoff(),
                        options.maxBackoff(),
                        options.maxAttempts());
        this.corruptBlocks = context.metricGroup().counter("corruptBlocks");
        this.skippedSlots = context.metricGroup().counter("skippedSlots");
        this.filteredOut = context.metricGroup().counter(FilteredRows.METRIC);
        this.filtered = new FilteredRows(projection);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        if (current == null) {
            current = nextSplit();
            if (current == null) {
                return noSplit();
            }
            nextEmit = current.nextSlot();
            nextRequest = nextEmit;
        }
        if (current.bounded() && nextEmit >= current.endSlot()) {
            current = null;
            return exhausted() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
        }
        if (nextEmit == RpcSplit.FROM_TIP) {
            if (!tipKnown()) {
                return waitFor(tipRequest);
            }
            nextEmit = tip;
            nextRequest = tip;
        }
        fill();
        Pending head = inFlight.peek();
        if (head == null) {
            // Caught up: ask for the tip again, at most once per poll interval.
            if (tipKnown()) {
                return InputStatus.MORE_AVAILABLE;
            }
            return waitFor(tipRequest);
        }
        if (!head.rows().isDone()) {
            return waitFor(head.rows());
        }
        inFlight.poll();
        List<Row> rows = rows(head);
        for (Row row : rows) {
            output.collect(row, projection.eventTimeMillis(row));
        }
        nextEmit = head.slot() + 1;
        return InputStatus.MORE_AVAILABLE;
    }

    /**
     * True when a tip newer than what was requested is known; else a getSlot is under way or
     * scheduled.
     */
    private boolean tipKnown() {
        if (tipRequest != null && tipRequest.isDone()) {
            try {
                tip = Math.max(tip, tipRequest.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            tipRequest = null;
            if (nextEmit == RpcSplit.FROM_TIP || nextRequest <= tip) {
                return true;
            }
        }
        if (tipRequest == null) {
            long now = System.nanoTime();
            long wait = options.pollInterval().toNanos() - (now - lastTipPoll);
            if (tip >= 0 && wait > 0) {
                tipRequest =
                        CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(
                                                wait, TimeUnit.NANOSECONDS))
                                .thenCompose(x -> client.getSlot(options.commitment()));
            } else {
                tipRequest = client.getSlot(options.commitment());
            }
            lastTipPoll = now;
        }
        return false;
    }

    private void fill() {
        while (inFlight.size() < options.maxInFlight()
                && nextRequest <= tip
                && (!current.bounded() || nextRequest < current.endSlot())) {
            long slot = nextRequest++;
            String source = options.endpoint() + " getBlock " + slot;
            // decoded on the HTTP client's threads; rows are made (and filtered) on the reader's
            CompletableFuture<SolanaBlock> rows =
                    client.getBlock(slot, options.commitment(), options.encoding())
                            .thenApply(
                                    r ->
                                            r.skipped()
                                                    ? null
                                                    : GetBlockDecoder.decode(
                                                            r.response(),
                                                            source,
                                                            slot,
                                                            projection,
                                                            verifySignatures));
            inFlight.add(new Pending(slot, rows));
        }
    }

    private List<Row> rows(Pending p) {
        SolanaBlock block;
        try {
            block = p.rows().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SolanaDecodeException d
                    && options.onCorruptBlock() == CorruptBlockPolicy.SKIP) {
                LOG.warn("skipping corrupt block: {}", d.getMessage());
                corruptBlocks.inc();
                return List.of();
            }
            throw cause instanceof RuntimeException r ? r : e;
        }
        if (block == null) {
            skippedSlots.inc();
            return List.of();
        }
        long droppedBefore = filtered.dropped();
        List<Row> rows = filtered.rows(block);
        filteredOut.inc(filtered.dropped() - droppedBefore);
        return rows;
    }

    /** As an RPC reader: see {@link RpcSplitRequest}. */
    @Override
    protected void sendRequest(SourceReaderContext context) {
        context.sendSourceEventToCoordinator(new RpcSplitRequest());
    }

    @Override
    protected RpcSplit currentPosition() {
        return current == null ? null : current.withNext(nextEmit);
    }

    @Override
    public void close() {
        for (Pending p : inFlight) {
            p.rows().cancel(true);
        }
        if (tipRequest != null) {
            tipRequest.cancel(true);
        }
        client.close();
    }
}
