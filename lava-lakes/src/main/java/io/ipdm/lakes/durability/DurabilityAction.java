package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.List;

/**
 * What {@link DurabilityEngine} asks its adapter to do; see {@link DurabilityEngine#drainActions}.
 */
public sealed interface DurabilityAction {
    /** Send {@code message} to {@code peer} on {@code /ipdm/durability/1.0.0} (best effort). */
    record Send(PeerId peer, DurabilityMessage message) implements DurabilityAction {}

    /**
     * Fetch every block of {@code root}'s DAG this node lacks (Bitswap; {@code providers} hold it,
     * closest first, but any provider will do), verify each against its CID, store it, and report
     * with {@link DurabilityEngine#onFetchResult} under {@code id}.
     */
    record Fetch(long id, Cid root, List<PeerId> providers) implements DurabilityAction {
        public Fetch {
            providers = List.copyOf(providers);
        }
    }

    /** Keep {@code root} and its DAG: this node is now one of its holders. */
    record Pin(Cid root) implements DurabilityAction {}

    /** This node no longer holds {@code root} for the network (its blocks follow as drops). */
    record Unpin(Cid root) implements DurabilityAction {}

    /** Delete the block from the live store: no subscription and no cache needs it any more. */
    record DropBlock(Cid cid) implements DurabilityAction {}

    /**
     * Call {@link DurabilityEngine#onTimer()} at or after this time (epoch millis of the clock).
     */
    record ScheduleTimer(long atMillis) implements DurabilityAction {}

    /** Something the node should surface (log, status): see {@link DurabilityEvent}. */
    record Report(DurabilityEvent event) implements DurabilityAction {}
}
