package io.ipdm.connectors.solana.rpc.enumerator;

import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the single split to the first reader that asks; every other reader is told there is nothing
 * more (a live chain tip is one ordered stream). Coordinator thread only.
 */
public final class RpcEnumerator implements SplitEnumerator<RpcSplit, RpcEnumeratorState> {
    private final SplitEnumeratorContext<RpcSplit> context;
    private final List<RpcSplit> unassigned;

    public RpcEnumerator(SplitEnumeratorContext<RpcSplit> context, RpcEnumeratorState state) {
        this.context = context;
        this.unassigned = new ArrayList<>(state.unassigned());
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (unassigned.isEmpty()) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(unassigned.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<RpcSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public RpcEnumeratorState snapshotState(long checkpointId) {
        return new RpcEnumeratorState(unassigned);
    }

    @Override
    public void close() {}
}
