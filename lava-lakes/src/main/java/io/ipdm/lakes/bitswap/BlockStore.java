package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;

/**
 * What Bitswap serves from: blocks by CID. Implementations must be safe to call from one thread.
 */
public interface BlockStore {
    /** The block (its bytes match its CID), or null. */
    Block get(Cid cid);

    boolean has(Cid cid);

    /** Serves a lake: hot, warm and cold tiers. */
    static BlockStore of(TieredStore store) {
        return new BlockStore() {
            @Override
            public Block get(Cid cid) {
                return store.get(cid);
            }

            @Override
            public boolean has(Cid cid) {
                return store.has(cid);
            }
        };
    }
}
