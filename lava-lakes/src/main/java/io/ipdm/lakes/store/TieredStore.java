package io.ipdm.lakes.store;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The three tiers behind one block store. A put is acknowledged once the warm tier has synced it;
 * it is also cached hot. A get looks hot, then warm, then cold, and promotes what it finds into the
 * faster tiers. Blocks leave warm for cold only through {@link #demoteToCold}, which writes them to
 * a cold archive durably before deleting them from warm. Thread-safe.
 */
public final class TieredStore implements BlockSource, AutoCloseable {
    /** Block location and size, for {@code lake stat}. */
    public record Stat(Cid cid, int size, Tier tier) {}

    private final HotTier hot;
    private final WarmTier warm;
    private final ColdTier cold;
    private final Clock clock;
    private final TierMetrics metrics = new TierMetrics();

    private final List<Consumer<List<Cid>>> storedListeners = new CopyOnWriteArrayList<>();

    public TieredStore(HotTier hot, WarmTier warm, ColdTier cold, Clock clock) {
        this.hot = hot;
        this.warm = warm;
        this.cold = cold;
        this.clock = clock;
    }

    /** Opens (or creates) a store under {@code dir} with local cold archives. */
    public static TieredStore open(Path dir, long hotBytes, long coldArchiveBytes)
            throws IOException {
        return open(
                dir,
                hotBytes,
                new LocalArchiveStorage(dir.resolve("cold")),
                coldArchiveBytes,
                Clock.systemUTC());
    }

    public static TieredStore open(
            Path dir, long hotBytes, ArchiveStorage archives, long coldArchiveBytes, Clock clock)
            throws IOException {
        WarmTier warm = new WarmTier(dir.resolve("warm"));
        try {
            ColdTier cold = new ColdTier(archives, dir.resolve("cold-index"), coldArchiveBytes);
            return new TieredStore(new HotTier(hotBytes), warm, cold, clock);
        } catch (IOException | RuntimeException e) {
            warm.close();
            throw e;
        }
    }

    /**
     * Calls {@code listener} with the CIDs of the blocks each later {@link #putAll} stored, once
     * they are durable, whoever stored them (a put, an import, a network read), so a Bitswap server
     * can answer the peers already waiting for them.
     */
    public void onStored(Consumer<List<Cid>> listener) {
        storedListeners.add(listener);
    }

    public Cid put(Block b) {
        putAll(List.of(b));
        return b.cid();
    }

    /**
     * Stores blocks durably (synced warm write), then caches them hot. Blocks under identity CIDs
     * are checked and not stored: their bytes are in the CID ({@link InlineBlocks}).
     */
    public void putAll(List<Block> blocks) {
        List<Block> stored = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            if (InlineBlocks.isInline(b.cid())) {
                InlineBlocks.check(b);
            } else {
                stored.add(b);
            }
        }
        if (stored.isEmpty()) {
            return;
        }
        warm.putAll(stored, clock.millis());
        stored.forEach(hot::put);
        if (!storedListeners.isEmpty()) {
            List<Cid> cids = stored.stream().map(Block::cid).toList();
            storedListeners.forEach(l -> l.accept(cids));
        }
    }

    /**
     * Removes blocks from hot and warm without a tombstone, as if never put: for undoing a failed
     * import, not for deleting data a client may ask for again (use {@link #delete}).
     */
    public void discard(List<Cid> cids) {
        warm.delete(cids);
        cids.forEach(hot::invalidate);
    }

    /**
     * The block (an identity CID's inline bytes without a lookup), or null when no tier holds it.
     */
    @Override
    public Block get(Cid cid) {
        Block b = InlineBlocks.of(cid);
        if (b != null) {
            return b;
        }
        b = hot.get(cid);
        if (b != null) {
            metrics.hit(Tier.HOT);
            return b;
        }
        metrics.miss(Tier.HOT);
        b = warm.get(cid);
        if (b != null) {
            metrics.hit(Tier.WARM);
            hot.put(b);
            metrics.promoted(Tier.HOT);
            return b;
        }
        metrics.miss(Tier.WARM);
        try {
            b = cold.get(cid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (b == null) {
            metrics.miss(Tier.COLD);
            return null;
        }
        metrics.hit(Tier.COLD);
        warm.putAll(List.of(b), clock.millis(), false);
        metrics.promoted(Tier.WARM);
        hot.put(b);
        metrics.promoted(Tier.HOT);
        return b;
    }

    public boolean has(Cid cid) {
        return InlineBlocks.isInline(cid) || hot.has(cid) || warm.has(cid) || cold.has(cid);
    }

    public Stat stat(Cid cid) {
        Block b = hot.get(cid);
        if (b != null) {
            return new Stat(cid, b.data().length, Tier.HOT);
        }
        b = warm.get(cid);
        if (b != null) {
            return new Stat(cid, b.data().length, Tier.WARM);
        }
        ColdTier.Location loc = cold.locate(cid);
        if (loc != null) {
            try {
                return new Stat(cid, cold.read(cid, loc).data().length, Tier.COLD);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /**
     * Moves blocks from warm to cold: they are appended to a cold archive and made durable there
     * before they are deleted from warm (a crash in between leaves a copy in both, never in none).
     */
    public void demoteToCold(List<Cid> cids) throws IOException {
        List<Block> blocks =
                cids.stream().map(warm::get).filter(java.util.Objects::nonNull).toList();
        cold.putAll(blocks);
        warm.delete(blocks.stream().map(Block::cid).toList());
        blocks.forEach(b -> hot.invalidate(b.cid()));
        metrics.demoted(Tier.WARM, blocks.size());
    }

    /** Pins a root: {@link #collectGarbage} keeps it and the DAG under it. Durable. */
    public void pin(Cid root) {
        warm.pin(root);
    }

    public void unpin(Cid root) {
        warm.unpin(root);
    }

    public List<Cid> pins() {
        return warm.pins();
    }

    /** Deletes every block no pinned root reaches, from all tiers; see {@link GarbageCollector}. */
    public GarbageCollector.Result collectGarbage() throws IOException {
        return new GarbageCollector(this).collect();
    }

    /** Removes a block from every tier (archives keep the bytes until repacked). */
    public void delete(Cid cid) {
        hot.invalidate(cid);
        warm.delete(List.of(cid));
        cold.forget(cid);
        warm.markGone(cid);
    }

    @Override
    public boolean isGone(Cid cid) {
        return warm.isGone(cid);
    }

    public HotTier hot() {
        return hot;
    }

    public WarmTier warm() {
        return warm;
    }

    public ColdTier cold() {
        return cold;
    }

    public TierMetrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() throws IOException {
        try {
            cold.close();
        } finally {
            warm.close();
        }
    }
}
