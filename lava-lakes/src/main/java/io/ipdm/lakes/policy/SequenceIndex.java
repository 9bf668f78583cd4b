package io.ipdm.lakes.policy;

import io.ipdm.multiformats.Cid;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Blocks with a natural order, such as one block per Solana slot: key -> CID and back. Lets the
 * prefetcher fetch the next keys' blocks while the current one is being used. Thread-safe.
 */
public final class SequenceIndex {
    private final ConcurrentSkipListMap<Long, Cid> byKey = new ConcurrentSkipListMap<>();
    private final Map<Cid, Long> keys = new ConcurrentHashMap<>();

    public void put(long key, Cid cid) {
        byKey.put(key, cid);
        keys.put(cid, key);
    }

    public Long keyOf(Cid cid) {
        return keys.get(cid);
    }

    public Cid at(long key) {
        return byKey.get(key);
    }

    /** Up to {@code n} CIDs of the keys after {@code key}, in key order. */
    public java.util.List<Cid> after(long key, int n) {
        return byKey.tailMap(key, false).values().stream().limit(n).toList();
    }
}
