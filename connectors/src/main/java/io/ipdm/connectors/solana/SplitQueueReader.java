package io.ipdm.connectors.solana;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;

/**
 * What the Solana readers share: the queue of assigned splits, one split request to the enumerator
 * at a time (the next is asked for as soon as the last queued split is started, so a reader rarely
 * waits on the coordinator), availability, and the checkpoint: the split being read at its current
 * position, then the queued ones. Subclasses read the current split in {@link #pollNext}.
 *
 * <p>Threading: every method is called by the task's mailbox thread.
 *
 * @param <S> the split type
 */
public abstract class SplitQueueReader<S extends SourceSplit> implements SourceReader<Row, S> {
    private final SourceReaderContext context;
    private final Queue<S> queue;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private boolean requested;

    /** Reads splits in the order they are assigned. */
    protected SplitQueueReader(SourceReaderContext context) {
        this.context = context;
        this.queue = new ArrayDeque<>();
    }

    /** Reads the queued splits in {@code order}, whatever order they are assigned in. */
    protected SplitQueueReader(SourceReaderContext context, Comparator<S> order) {
        this.context = context;
        this.queue = new PriorityQueue<>(order);
    }

    /** The split being read with its current position, or null between splits. */
    protected abstract S currentPosition();

    @Override
    public void start() {
        if (queue.isEmpty()) {
            request();
        }
    }

    /** The next assigned split, or null when none is queued. */
    protected final S nextSplit() {
        S next = queue.poll();
        if (next != null && queue.isEmpty() && !noMoreSplits) {
            request();
        }
        return next;
    }

    /**
     * What {@link #pollNext} returns when no split is queued: the end of input after the enumerator
     * said there are no more, else nothing until splits arrive.
     */
    protected final InputStatus noSplit() {
        if (noMoreSplits) {
            return InputStatus.END_OF_INPUT;
        }
        request();
        return waitFor(null);
    }

    /** Whether the enumerator has no more splits and none is queued. */
    protected final boolean exhausted() {
        return noMoreSplits && queue.isEmpty();
    }

    /**
     * Returns {@link InputStatus#NOTHING_AVAILABLE}, with availability set to when {@code future}
     * completes (normally or not), or, for null, to when splits or their end arrive.
     */
    protected final InputStatus waitFor(CompletableFuture<?> future) {
        if (future == null) {
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
        } else {
            available = future.handle((x, e) -> (Void) null);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void request() {
        if (!requested) {
            requested = true;
            sendRequest(context);
        }
    }

    /** Asks the enumerator for a split; {@code sendSplitRequest} unless a reader asks otherwise. */
    protected void sendRequest(SourceReaderContext context) {
        context.sendSplitRequest();
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        List<S> state = new ArrayList<>(queue.size() + 1);
        S current = currentPosition();
        if (current != null) {
            state.add(current);
        }
        state.addAll(queue);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<S> splits) {
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
