package io.ipdm.connectors.solana.rpc.enumerator;

import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the single split to the first RPC reader that asks ({@link RpcSplitRequest}); every other
 * reader is told there is nothing more (a live chain tip is one ordered stream). Coordinator thread
 * only.
 *
 * <p>Flink's own split requests come only from readers of an earlier source of a hybrid source
 * (archive, then live), restarted from a checkpoint taken before the switch: they are told that
 * source has no more splits (the hybrid enumerator moves to this source only once every reader
 * finished the earlier one; what a restarted reader still has to read there comes back with its
 * checkpoint), so they finish it and move on to this source, where they ask as RPC readers.
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
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (!(event instanceof RpcSplitRequest)) {
            return;
        }
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
