package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory block store for engine tests. */
final class MapStore implements BlockStore {
    final Map<Cid, Block> blocks = new ConcurrentHashMap<>();

    MapStore() {}

    MapStore(Collection<Block> bs) {
        bs.forEach(b -> blocks.put(b.cid(), b));
    }

    @Override
    public Block get(Cid cid) {
        return blocks.get(cid);
    }

    @Override
    public boolean has(Cid cid) {
        return blocks.containsKey(cid);
    }
}
