package io.ipdm.connectors.solana.replay.enumerator;

import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out files one at a time, lowest slot first, to readers that ask; so each reader sees its
 * blocks in ascending slot order. Runs on the coordinator thread only.
 */
public final class ReplayEnumerator implements SplitEnumerator<ReplaySplit, ReplayEnumeratorState> {
    static final Comparator<ReplaySplit> BY_SLOT =
            Comparator.comparingLong(ReplaySplit::slot).thenComparing(ReplaySplit::path);

    private final SplitEnumeratorContext<ReplaySplit> context;
    private final List<ReplaySplit> pending;

    public ReplayEnumerator(SplitEnumeratorContext<ReplaySplit> context, List<ReplaySplit> splits) {
        this.context = context;
        this.pending = new ArrayList<>(splits);
        this.pending.sort(BY_SLOT);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (pending.isEmpty()) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(pending.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<ReplaySplit> splits, int subtaskId) {
        pending.addAll(splits);
        pending.sort(BY_SLOT);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public ReplayEnumeratorState snapshotState(long checkpointId) {
        return new ReplayEnumeratorState(pending);
    }

    @Override
    public void close() {}
}
