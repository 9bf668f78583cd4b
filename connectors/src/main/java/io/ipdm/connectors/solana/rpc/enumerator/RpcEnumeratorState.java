package io.ipdm.connectors.solana.rpc.enumerator;

import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import java.util.List;

/** The split when no reader holds it (before assignment, or handed back); else empty. */
public record RpcEnumeratorState(List<RpcSplit> unassigned) {
    public RpcEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
