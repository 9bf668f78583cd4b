package io.ipdm.connectors.solana.synthetic.enumerator;

import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import java.util.List;

/** The first slot not yet handed out, and splits handed back by failed readers. */
public record SyntheticEnumeratorState(long nextStart, List<SlotRangeSplit> returned) {
    public SyntheticEnumeratorState {
        returned = List.copyOf(returned);
    }
}
