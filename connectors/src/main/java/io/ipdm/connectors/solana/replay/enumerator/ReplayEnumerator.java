package io.ipdm.connectors.solana.replay.enumerator;

import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out files one at a time in {@link ReplaySplit#REPLAY_ORDER} (block time, then slot) to
 * readers that ask; so each reader sees its blocks in ascending event time and no row it emits is
 * behind its own watermark. Runs on the coordinator thread only.
 */
public final class ReplayEnumerator implements SplitEnumerator<ReplaySplit, ReplayEnumeratorState> {
    private final SplitEnumeratorContext<ReplaySplit> context;
    private final List<ReplaySplit> pending;

    public ReplayEnumerator(SplitEnumeratorContext<ReplaySplit> context, List<ReplaySplit> splits) {
        this.context = context;
        this.pending = new ArrayList<>(splits);
        this.pending.sort(ReplaySplit.REPLAY_ORDER);
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
        pending.sort(ReplaySplit.REPLAY_ORDER);
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
