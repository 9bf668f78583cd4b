package io.ipdm.connectors.solana.replay.enumerator;

import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.util.List;

/** The files not yet assigned to a reader, in slot order. */
public record ReplayEnumeratorState(List<ReplaySplit> pending) {
    public ReplayEnumeratorState {
        pending = List.copyOf(pending);
    }
}
