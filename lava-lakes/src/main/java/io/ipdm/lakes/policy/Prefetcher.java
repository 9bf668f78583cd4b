package io.ipdm.lakes.policy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads through a {@link TieredStore} and predicts what comes next: the blocks a block links to,
 * and the following keys of a {@link SequenceIndex} (consecutive slots). Predicted blocks still in
 * cold are fetched in the background by {@code prefetchParallelism} streams, each a coalesced range
 * read ({@code ColdTier.getRange}), into the hot tier. A read of a block being prefetched waits for
 * it instead of fetching twice. Reads are recorded in the {@link AccessTracker}. Thread-safe.
 */
public final class Prefetcher implements BlockSource, AutoCloseable {
    private static final int MAX_GAP = 64 << 10;

    private final TieredStore store;
    private final SequenceIndex sequence;
    private final AccessTracker access;
    private final int window;
    private final int parallelism;
    private final ExecutorService pool;
    private final Map<Cid, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder prefetched = new LongAdder();
    private final LongAdder prefetchHits = new LongAdder();
    // the highest sequence key already scheduled, so each key is considered once
    private final java.util.concurrent.atomic.AtomicLong scheduledUpTo =
            new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    public Prefetcher(
            TieredStore store, SequenceIndex sequence, AccessTracker access, StorageConfig config) {
        this.store = store;
        this.sequence = sequence;
        this.access = access;
        this.window = config.prefetchWindow();
        this.parallelism = config.prefetchParallelism();
        this.pool =
                Executors.newFixedThreadPool(
                        parallelism,
                        r -> {
                            Thread t = new Thread(r, "lake-prefetch");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public Block get(Cid cid) {
        CompletableFuture<Void> pending = inFlight.get(cid);
        if (pending != null) {
            pending.join();
            prefetchHits.increment();
        }
        Block b = store.get(cid);
        access.recordRead(cid);
        if (b != null && window > 0) {
            predict(b);
        }
        return b;
    }

    @Override
    public boolean isGone(Cid cid) {
        return store.isGone(cid);
    }

    private void predict(Block b) {
        List<Cid> next = new ArrayList<>();
        Long key = sequence == null ? null : sequence.keyOf(b.cid());
        if (key != null) {
            next.addAll(sequence.after(key, window));
        }
        List<Cid> links = Links.of(b);
        next.addAll(links.subList(0, Math.min(links.size(), window)));
        List<Cid> cold = new ArrayList<>();
        for (Cid c : next) {
            if (!inFlight.containsKey(c)
                    && !store.hot().has(c)
                    && store.cold().has(c)
                    && !store.warm().has(c)) {
                cold.add(c);
            }
        }
        if (cold.isEmpty()) {
            return;
        }
        int per = Math.max(1, (cold.size() + parallelism - 1) / parallelism);
        for (int i = 0; i < cold.size(); i += per) {
            List<Cid> part = cold.subList(i, Math.min(cold.size(), i + per));
            CompletableFuture<Void> f = new CompletableFuture<>();
            List<Cid> claimed = new ArrayList<>();
            for (Cid c : part) {
                if (inFlight.putIfAbsent(c, f) == null) {
                    claimed.add(c);
                }
            }
            if (claimed.isEmpty()) {
                continue;
            }
            pool.execute(
                    () -> {
                        try {
                            for (Block got : store.cold().getRange(claimed, MAX_GAP)) {
                                store.hot().put(got);
                                prefetched.increment();
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            claimed.forEach(inFlight::remove);
                            f.complete(null);
                        }
                    });
        }
    }

    /** Blocks fetched ahead of being asked for. */
    public long prefetched() {
        return prefetched.sum();
    }

    /** Reads that found their block already being prefetched. */
    public long prefetchWaits() {
        return prefetchHits.sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
