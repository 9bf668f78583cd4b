package io.ipdm.lakes.network;

import io.ipdm.multiformats.Cid;

/**
 * A block source that reads the network and can bring a whole DAG in before it is walked: the
 * blocks are wanted level by level in batches (many wants in flight, one want-list message per
 * batch), where a walk reading one block at a time pays one network round trip per block. A gateway
 * asks this before it plans a CAR ({@code dag-scope=all}). Thread-safe.
 */
public interface DagPrefetch {
    /**
     * Fetches the blocks under {@code root} this source does not hold yet and keeps them, so the
     * walk that follows reads them locally. Best effort: returns normally when part of the DAG
     * could not be fetched in time (the walk then reads the rest one block at a time and reports
     * what is missing). Blocks the caller.
     */
    void prefetchDag(Cid root);
}
