package io.ipdm.connectors.solana.synthetic.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * Slots {@code [start, end)} of the synthetic chain, of which those before {@code next} have been
 * emitted (the checkpointed position; slots are emitted whole).
 */
public record SlotRangeSplit(long start, long end, long next) implements SourceSplit {
    public SlotRangeSplit {
        if (start < 0 || end <= start || next < start || next > end) {
            throw new IllegalArgumentException(
                    "invalid slot range split [" + start + ", " + end + ") at " + next);
        }
    }

    @Override
    public String splitId() {
        return "slots-" + start + "-" + end;
    }

    public SlotRangeSplit withNext(long n) {
        return new SlotRangeSplit(start, end, n);
    }
}
