package io.ipdm.lakes.bench;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.Prefetcher;
import io.ipdm.lakes.policy.SequenceIndex;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.ArchiveStorage;
import io.ipdm.lakes.store.HotTier;
import io.ipdm.lakes.store.LocalArchiveStorage;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.store.WarmTier;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tier throughput and cold range retrieval with and without prefetch, in one run. Cold archives are
 * read both from local disk and through {@link SlowArchiveStorage} (1 ms per read, standing in for
 * an object store). See docs/BENCHMARKS.md for the command.
 */
public final class LakeBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("lake-bench");
        List<Block> blocks = blocks(20_000, 1024);
        hot(blocks);
        warm(dir.resolve("warm"), blocks);
        cold(dir.resolve("cold-local"), 0);
        cold(dir.resolve("cold-remote"), 1000);
    }

    static List<Block> blocks(int n, int size) {
        Random r = new Random(3);
        List<Block> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[size];
            r.nextBytes(d);
            out.add(Block.of(Multicodec.RAW, d));
        }
        return out;
    }

    static double perSecond(long n, long t0) {
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static void hot(List<Block> blocks) {
        HotTier hot = new HotTier(256L << 20);
        double put = 0;
        double get = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            blocks.forEach(hot::put);
            put = Math.max(put, perSecond(blocks.size(), t0));
            t0 = System.nanoTime();
            for (Block b : blocks) {
                if (hot.get(b.cid()) == null) {
                    throw new AssertionError("hot miss");
                }
            }
            get = Math.max(get, perSecond(blocks.size(), t0));
        }
        System.out.printf("hot  (1 KiB blocks): put %,.0f/s, get %,.0f/s%n", put, get);
    }

    static void warm(Path dir, List<Block> blocks) throws Exception {
        try (WarmTier warm = new WarmTier(dir)) {
            long t0 = System.nanoTime();
            int single = 500;
            for (Block b : blocks.subList(0, single)) {
                warm.put(b, 0);
            }
            double putOne = perSecond(single, t0);
            t0 = System.nanoTime();
            for (int i = single; i < blocks.size(); i += 500) {
                warm.putAll(blocks.subList(i, Math.min(blocks.size(), i + 500)), 0);
            }
            double putBatch = perSecond(blocks.size() - single, t0);
            double get = 0;
            for (int round = 0; round < 3; round++) {
                t0 = System.nanoTime();
                for (Block b : blocks) {
                    if (warm.get(b.cid()) == null) {
                        throw new AssertionError("warm miss");
                    }
                }
                get = Math.max(get, perSecond(blocks.size(), t0));
            }
            System.out.printf(
                    "warm (1 KiB blocks, synced writes): put %,.0f/s one at a time, %,.0f/s in batches of 500; get %,.0f/s (verified)%n",
                    putOne, putBatch, get);
        }
    }

    static void cold(Path dir, long delayMicros) throws Exception {
        Files.createDirectories(dir);
        ArchiveStorage storage =
                new SlowArchiveStorage(
                        new LocalArchiveStorage(dir.resolve("archives")), delayMicros);
        int n = 2000;
        List<Block> range = blocks(n, 16 << 10);
        SequenceIndex slots = new SequenceIndex();
        StorageConfig config =
                StorageConfig.fromMap(Map.of("prefetch-window", "64", "prefetch-parallelism", "8"));
        try (TieredStore store =
                TieredStore.open(dir, 512L << 20, storage, 64L << 20, Clock.systemUTC())) {
            List<Cid> cids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                store.put(range.get(i));
                slots.put(i, range.get(i).cid());
                cids.add(range.get(i).cid());
            }
            store.demoteToCold(cids);
            store.cold().sealActive();
            long t0 = System.nanoTime();
            for (Cid c : cids) {
                if (store.cold().get(c) == null) {
                    throw new AssertionError("cold miss");
                }
            }
            double plain = perSecond(n, t0);
            try (Prefetcher p =
                    new Prefetcher(
                            store,
                            slots,
                            new AccessTracker(Clock.systemUTC(), java.time.Duration.ofHours(1)),
                            config)) {
                t0 = System.nanoTime();
                for (Cid c : cids) {
                    if (p.get(c) == null) {
                        throw new AssertionError("miss");
                    }
                }
            }
            double prefetched = perSecond(n, t0);
            System.out.printf(
                    "cold range of %d x 16 KiB blocks, %s: without prefetch %,.0f blocks/s, with prefetch %,.0f blocks/s (%.1fx)%n",
                    n,
                    delayMicros == 0 ? "local disk" : "+" + delayMicros + " us per read",
                    plain,
                    prefetched,
                    prefetched / plain);
        }
    }
}
