package io.ipdm.lakes.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;

/**
 * Hot tier: blocks in memory, bounded in bytes (block size plus CID plus a fixed per-entry
 * overhead), admitted and evicted by Caffeine's W-TinyLFU so a scan of cold data does not flush
 * popular blocks. Thread-safe.
 */
public final class HotTier {
    static final int ENTRY_OVERHEAD = 96;
    private final Cache<Cid, byte[]> cache;
    private final long maxBytes;

    public HotTier(long maxBytes) {
        this(maxBytes, false);
    }

    /** {@code sameThread}: run maintenance on the caller's thread (deterministic, for tests). */
    public HotTier(long maxBytes, boolean sameThread) {
        if (maxBytes < 0) {
            throw new LakesException("hot tier size must be >= 0 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        Caffeine<Object, Object> b = Caffeine.newBuilder().maximumWeight(maxBytes).recordStats();
        if (sameThread) {
            b.executor(Runnable::run);
        }
        cache =
                b.<Cid, byte[]>weigher((k, v) -> ENTRY_OVERHEAD + k.byteLength() + v.length)
                        .build();
    }

    public void put(Block b) {
        cache.put(b.cid(), b.data());
    }

    public Block get(Cid cid) {
        byte[] data = cache.getIfPresent(cid);
        return data == null ? null : new Block(cid, data);
    }

    public boolean has(Cid cid) {
        return cache.asMap().containsKey(cid);
    }

    /** A snapshot of the CIDs held now. */
    public java.util.Set<Cid> cids() {
        return java.util.Set.copyOf(cache.asMap().keySet());
    }

    public void invalidate(Cid cid) {
        cache.invalidate(cid);
    }

    /** Bytes currently held, by the same weights the bound uses. */
    public long weightedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long evictions() {
        return cache.stats().evictionCount();
    }
}
