package io.ipdm.lakes.policy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The read path of a lake: a {@link TieredStore}, then (when given) the network, with prediction of
 * what comes next: the blocks a block links to, the siblings after it in the block that linked to
 * it (the rest of a file being walked), and the following keys of a {@link SequenceIndex}
 * (consecutive slots).
 *
 * <p>Predicted blocks still in cold are fetched by {@code prefetch-parallelism} streams, each a
 * coalesced range read ({@code ColdTier.getRange}), and promoted as a read promotes them (warm and
 * hot). Predicted blocks no tier holds are fetched from the network by as many concurrent reads
 * (each its own Bitswap session) and stored in the lake. Network prefetching measures every network
 * read and turns itself off while the average of recent reads is below {@code prefetch-fast-read}
 * (prefetching then only adds load), and back on when reads slow down. A read of a block being
 * prefetched waits for it instead of fetching twice. Reads are recorded in the {@link
 * AccessTracker}. Thread-safe.
 */
public final class Prefetcher implements BlockSource, AutoCloseable {
    private static final int MAX_GAP = 64 << 10;
    // reads measured before the prefetcher may decide reads are fast
    private static final int WARM_UP = 4;
    private static final int MAX_PARENTS = 1 << 16;

    private final TieredStore store;
    private final SequenceIndex sequence;
    private final AccessTracker access;
    private final BlockSource network;
    private final int window;
    private final int parallelism;
    private final long fastReadNanos;
    private final LongSupplier nanoTime;
    private final ExecutorService ownPool;
    private final Executor pool;
    private final Map<Cid, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    // child -> the links of the block that linked to it, so reading a child predicts its siblings
    private final Map<Cid, List<Cid>> parents =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(1024, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<Cid, List<Cid>> e) {
                            return size() > MAX_PARENTS;
                        }
                    });
    private final LongAdder prefetched = new LongAdder();
    private final LongAdder prefetchHits = new LongAdder();
    private final LongAdder skippedFast = new LongAdder();
    private final ReadSpeed speed = new ReadSpeed();

    /** A lake read path without network (cold prefetch only). */
    public Prefetcher(
            TieredStore store, SequenceIndex sequence, AccessTracker access, StorageConfig config) {
        this(store, sequence, access, config, null, System::nanoTime, null);
    }

    /**
     * @param network where blocks no tier holds come from (verified), or null
     * @param nanoTime the clock reads are measured with
     * @param executor runs prefetches; null for a pool of {@code prefetch-parallelism} threads
     */
    public Prefetcher(
            TieredStore store,
            SequenceIndex sequence,
            AccessTracker access,
            StorageConfig config,
            BlockSource network,
            LongSupplier nanoTime,
            Executor executor) {
        this.store = store;
        this.sequence = sequence;
        this.access = access;
        this.network = network;
        this.window = config.prefetchWindow();
        this.parallelism = config.prefetchParallelism();
        this.fastReadNanos = config.prefetchFastRead().toNanos();
        this.nanoTime = nanoTime;
        if (executor == null) {
            ownPool =
                    Executors.newFixedThreadPool(
                            parallelism,
                            r -> {
                                Thread t = new Thread(r, "lake-prefetch");
                                t.setDaemon(true);
                                return t;
                            });
            pool = ownPool;
        } else {
            ownPool = null;
            pool = executor;
        }
    }

    @Override
    public Block get(Cid cid) {
        CompletableFuture<Void> pending = inFlight.get(cid);
        if (pending != null) {
            pending.join();
            prefetchHits.increment();
        }
        Block b = store.get(cid);
        if (b == null && network != null) {
            b = fromNetwork(cid);
        }
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

    /** Reads {@code cid} from the network, measures the read and keeps the block. */
    private Block fromNetwork(Cid cid) {
        long t0 = nanoTime.getAsLong();
        Block b = network.get(cid);
        speed.record(nanoTime.getAsLong() - t0);
        if (b != null) {
            store.put(b.verified());
        }
        return b;
    }

    private void predict(Block b) {
        List<Cid> next = new ArrayList<>();
        Long key = sequence == null ? null : sequence.keyOf(b.cid());
        if (key != null) {
            next.addAll(sequence.after(key, window));
        }
        List<Cid> links;
        try {
            links = Links.of(b);
        } catch (LakesException | MultiformatException e) {
            // not decodable: no guess; the walk that reads it reports where and why
            links = List.of();
        }
        for (Cid l : links) {
            parents.put(l, links);
        }
        next.addAll(links.subList(0, Math.min(links.size(), window)));
        List<Cid> siblings = parents.get(b.cid());
        if (siblings != null) {
            int i = siblings.indexOf(b.cid());
            next.addAll(siblings.subList(i + 1, Math.min(siblings.size(), i + 1 + window)));
        }
        List<Cid> cold = new ArrayList<>();
        List<Cid> remote = new ArrayList<>();
        for (Cid c : next) {
            if (inFlight.containsKey(c) || store.hot().has(c) || store.warm().has(c)) {
                continue;
            }
            if (store.cold().has(c)) {
                cold.add(c);
            } else if (network != null) {
                remote.add(c);
            }
        }
        schedule(cold, this::fromCold);
        if (!remote.isEmpty()) {
            if (speed.fast(fastReadNanos)) {
                skippedFast.add(remote.size());
            } else {
                schedule(remote, this::fromNetwork);
            }
        }
    }

    private interface Fetch {
        void run(List<Cid> cids) throws IOException;
    }

    /** Splits {@code cids} into at most {@code parallelism} parts fetched concurrently. */
    private void schedule(List<Cid> cids, Fetch fetch) {
        if (cids.isEmpty()) {
            return;
        }
        int per = Math.max(1, (cids.size() + parallelism - 1) / parallelism);
        for (int i = 0; i < cids.size(); i += per) {
            List<Cid> part = cids.subList(i, Math.min(cids.size(), i + per));
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
                            fetch.run(claimed);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            claimed.forEach(inFlight::remove);
                            f.complete(null);
                        }
                    });
        }
    }

    /** Reads a range from cold and promotes it as a read would (warm, unsynced, and hot). */
    private void fromCold(List<Cid> cids) throws IOException {
        List<Block> got = store.cold().getRange(cids, MAX_GAP);
        store.warm().putAll(got, store.clock().millis(), false);
        for (Block b : got) {
            store.hot().put(b);
            prefetched.increment();
        }
    }

    private void fromNetwork(List<Cid> cids) {
        for (Cid c : cids) {
            try {
                if (fromNetwork(c) != null) {
                    prefetched.increment();
                }
            } catch (LakesException e) {
                // a guess that failed; the real read will report it
            }
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

    /** Predicted network blocks not fetched because network reads were fast. */
    public long skippedBecauseFast() {
        return skippedFast.sum();
    }

    /** Whether network prefetching is on (off while measured reads are fast). */
    public boolean networkPrefetchActive() {
        return network != null && window > 0 && !speed.fast(fastReadNanos);
    }

    /** The average of recent network reads, in nanoseconds (-1 before any). */
    public long averageNetworkReadNanos() {
        return speed.average();
    }

    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    /** An exponentially weighted average of read times (weight 1/8 for the newest). */
    private static final class ReadSpeed {
        private final AtomicLong samples = new AtomicLong();
        private final AtomicLong avg = new AtomicLong(-1);

        void record(long nanos) {
            samples.incrementAndGet();
            avg.getAndUpdate(a -> a < 0 ? nanos : a + (nanos - a) / 8);
        }

        boolean fast(long thresholdNanos) {
            return samples.get() >= WARM_UP && avg.get() < thresholdNanos;
        }

        long average() {
            return avg.get();
        }
    }
}
