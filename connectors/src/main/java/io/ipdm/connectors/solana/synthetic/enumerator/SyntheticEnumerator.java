package io.ipdm.connectors.solana.synthetic.enumerator;

import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Cuts the slot range into splits of {@code slotsPerSplit} on demand, lowest first (returned splits
 * before new ones), so readers stay close together in event time. Unbounded when {@code end} is
 * null. Runs on the coordinator thread only.
 */
public final class SyntheticEnumerator
        implements SplitEnumerator<SlotRangeSplit, SyntheticEnumeratorState> {
    private final SplitEnumeratorContext<SlotRangeSplit> context;
    private final Long end;
    private final int slotsPerSplit;
    private final List<SlotRangeSplit> returned;
    private long nextStart;

    public SyntheticEnumerator(
            SplitEnumeratorContext<SlotRangeSplit> context,
            SyntheticEnumeratorState state,
            Long end,
            int slotsPerSplit) {
        this.context = context;
        this.end = end;
        this.slotsPerSplit = slotsPerSplit;
        this.returned = new ArrayList<>(state.returned());
        this.nextStart = state.nextStart();
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        SlotRangeSplit split = next();
        if (split == null) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(split, subtaskId);
        }
    }

    SlotRangeSplit next() {
        if (!returned.isEmpty()) {
            return returned.remove(0);
        }
        if (end != null && nextStart >= end) {
            return null;
        }
        long stop =
                end == null ? nextStart + slotsPerSplit : Math.min(end, nextStart + slotsPerSplit);
        SlotRangeSplit split = new SlotRangeSplit(nextStart, stop, nextStart);
        nextStart = stop;
        return split;
    }

    @Override
    public void addSplitsBack(List<SlotRangeSplit> splits, int subtaskId) {
        returned.addAll(splits);
        returned.sort(Comparator.comparingLong(SlotRangeSplit::next));
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public SyntheticEnumeratorState snapshotState(long checkpointId) {
        return new SyntheticEnumeratorState(nextStart, returned);
    }

    @Override
    public void close() {}
}
