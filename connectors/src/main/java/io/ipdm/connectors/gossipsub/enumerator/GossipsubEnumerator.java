package io.ipdm.connectors.gossipsub.enumerator;

import io.ipdm.connectors.gossipsub.split.GossipsubSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the one split to the first reader that asks; a split returned by a failed reader goes to
 * the next reader that registers or asks. Other readers stay idle (every subscriber receives every
 * message, so more readers would only duplicate rows).
 */
public final class GossipsubEnumerator
        implements SplitEnumerator<GossipsubSplit, List<GossipsubSplit>> {
    private final SplitEnumeratorContext<GossipsubSplit> context;
    private final List<GossipsubSplit> unassigned;

    public GossipsubEnumerator(
            SplitEnumeratorContext<GossipsubSplit> context, List<GossipsubSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!unassigned.isEmpty()) {
            context.assignSplit(unassigned.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<GossipsubSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public List<GossipsubSplit> snapshotState(long checkpointId) {
        return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
}
