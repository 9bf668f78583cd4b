package io.ipdm.lakes.network;

import io.ipdm.lakes.Block;
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
}
