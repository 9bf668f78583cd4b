package io.ipdm.lakes.network;

import io.ipdm.lakes.Block;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches blocks from other peers (Bitswap in a running node). Every block an implementation
 * completes with has been checked against its CID. Thread-safe; several fetches may run at once,
 * each its own session.
 */
public interface BlockExchange {
    /**
     * Asks {@code providers} (dialing them where needed) for {@code cid}; completes with the first
     * verified block, or exceptionally when none of them has it. The caller bounds the wait and
     * cancels the future when it gives up, which withdraws the want.
     */
    CompletableFuture<Block> fetch(Cid cid, Collection<Provider> providers);

    /** Blocks wanted from peers and not yet received. */
    long pendingWants();

    /**
     * Why the last dial of {@code peer} by a fetch failed (the addresses tried and the errors), or
     * null when it connected or was not dialed: a read that found nothing says so, since "nobody
     * sent it" then means "nobody could be reached".
     */
    default String dialFailure(PeerId peer) {
        return null;
    }
}
