package io.ipdm.lakes.network;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.multiformats.Cid;

/**
 * A block source that reads the network and can bring a whole DAG in before it is walked: the
 * blocks are wanted level by level in batches (many wants in flight, one want-list message per
 * batch), where a walk reading one block at a time pays one network round trip per block. Walks use
 * it through {@link #walking}: a gateway planning a CAR ({@code dag-scope=all}), {@code lake
 * export-car} and {@code lake get} of a chunked file. Thread-safe.
 */
public interface DagPrefetch {
    /**
     * Fetches the blocks under {@code root} this source does not hold yet and keeps them, so the
     * walk that follows reads them locally. Best effort: returns normally when part of the DAG
     * could not be fetched in time (the walk then reads the rest one block at a time and reports
     * what is missing). Blocks the caller.
     */
    void prefetchDag(Cid root);

    /**
     * {@code source} for one walk of the DAG under {@code root}: the first block the walk asks for
     * that {@code source} does not hold brings the whole DAG in first ({@link #prefetchDag}), once.
     * A DAG held already is walked once, with no prefetch and no Bitswap session; a source that is
     * not a {@code DagPrefetch} is returned as it is. For one walk on one thread.
     */
    static BlockSource walking(BlockSource source, Cid root) {
        if (!(source instanceof DagPrefetch prefetch)) {
            return source;
        }
        return new BlockSource() {
            private boolean asked;

            @Override
            public Block get(Cid cid) {
                if (!asked && !source.holds(cid)) {
                    asked = true;
                    prefetch.prefetchDag(root);
                }
                return source.get(cid);
            }

            @Override
            public boolean isGone(Cid cid) {
                return source.isGone(cid);
            }

            @Override
            public boolean holds(Cid cid) {
                return source.holds(cid);
            }
        };
    }
}
