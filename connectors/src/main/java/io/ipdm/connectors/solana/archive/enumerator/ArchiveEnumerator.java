package io.ipdm.connectors.solana.archive.enumerator;

import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes the archives off the coordinator thread ({@link ArchiveDiscovery}), then hands out one
 * split per request in the order discovery gives (lowest slot first; for several archives, by their
 * first block's time), so readers stay close together in event time; returned splits go back to
 * their place in that order (their rank: the position discovery, or the restored pending list, gave
 * them; splits returned after a restore were pending at the checkpoint, so they have one). Requests
 * that come before the index is ready wait for it. Runs on the coordinator thread only.
 *
 * <p>Under a {@link org.apache.flink.connector.base.source.hybrid.HybridSource} (archive, then
 * live), the hybrid enumerator switches to live once every reader has finished the archive, and it
 * keeps counting a reader finished after that reader is restarted from a checkpoint taken before it
 * finished (with archive splits still to read). Were every other reader then to finish, the switch
 * would close the restarted reader's archive reader with its splits unread. So while such a reader
 * is reading again (it said {@link ArchiveReaderDone} before, and was added again), the other
 * readers are told there are no more splits only once it is done again; it is told at once (its
 * finishing adds nothing to the hybrid's count).
 */
public final class ArchiveEnumerator
        implements SplitEnumerator<ArchiveSplit, ArchiveEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveEnumerator.class);
    private final SplitEnumeratorContext<ArchiveSplit> context;
    private final ArchiveOptions options;
    private final List<ArchiveSplit> pending;
    private final java.util.Map<String, Integer> rank = new java.util.HashMap<>();
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private final Set<Integer> done = new HashSet<>(); // said ArchiveReaderDone
    private final Set<Integer> again = new HashSet<>(); // done, then restarted: reading again
    private final Set<Integer> held = new LinkedHashSet<>(); // told "no more" once again is empty
    private boolean discovered;
    private long lastSlot;

    public ArchiveEnumerator(
            SplitEnumeratorContext<ArchiveSplit> context,
            ArchiveOptions options,
            ArchiveEnumeratorState state) {
        this.context = context;
        this.options = options;
        this.pending = new ArrayList<>(state.pending());
        ranks(pending);
        this.discovered = state.discovered();
        this.lastSlot = state.lastSlot();
    }

    @Override
    public void start() {
        if (!discovered) {
            context.callAsync(
                    () -> ArchiveDiscovery.discover(options),
                    (result, error) -> {
                        if (error != null) {
                            throw new FlinkRuntimeException(
                                    "indexing the Old Faithful archives failed: "
                                            + error.getMessage(),
                                    error);
                        }
                        result.notices().forEach(LOG::warn);
                        pending.addAll(result.splits());
                        ranks(pending);
                        lastSlot = result.lastSlot();
                        discovered = true;
                        List<Integer> readers = new ArrayList<>(waiting);
                        waiting.clear();
                        readers.forEach(r -> handleSplitRequest(r, null));
                    });
        }
    }

    /** The last slot in the archives, or -1 when they hold none (or are not indexed yet). */
    public long lastSlot() {
        return lastSlot;
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!discovered) {
            waiting.add(subtaskId);
            return;
        }
        if (pending.isEmpty()) {
            if (again.isEmpty() || again.contains(subtaskId)) {
                context.signalNoMoreSplits(subtaskId);
            } else {
                held.add(subtaskId);
            }
        } else {
            context.assignSplit(pending.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<ArchiveSplit> splits, int subtaskId) {
        pending.addAll(splits);
        pending.sort(
                java.util.Comparator.comparingInt(
                        s -> rank.getOrDefault(s.splitId(), Integer.MIN_VALUE)));
    }

    /** Ranks splits by their position in {@code order} (the order they are handed out in). */
    private void ranks(List<ArchiveSplit> order) {
        rank.clear();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i).splitId(), i);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        held.remove(subtaskId); // a new attempt asks again
        if (done.remove(subtaskId)) {
            again.add(subtaskId);
        }
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ArchiveReaderDone) {
            done.add(subtaskId);
            again.remove(subtaskId);
            if (again.isEmpty()) {
                held.forEach(context::signalNoMoreSplits);
                held.clear();
            }
        }
    }

    @Override
    public ArchiveEnumeratorState snapshotState(long checkpointId) {
        return new ArchiveEnumeratorState(discovered, lastSlot, pending);
    }

    @Override
    public void close() {}
}
