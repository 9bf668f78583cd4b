package io.ipdm.lakes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.LocalArchiveStorage;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.testutils.MutableClock;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefetcher on the network path: a file's leaves are fetched ahead of the walk from a source
 * whose reads take (virtual) time, in several concurrent reads, and not at all once reads are
 * measured to be fast. The "network" is another lake behind a {@link BlockSource}; the clock the
 * prefetcher measures with advances by the read time the test gives each read.
 */
class NetworkPrefetchTest {
    private static final int LEAVES = 40;

    private static List<Block> file() {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            chunks.add(PolicyTest.block(i, 1000 + i).data());
        }
        return UnixFsFile.build(chunks);
    }

    private static byte[] content(List<Block> file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.subList(0, LEAVES).forEach(b -> out.writeBytes(b.data()));
        return out.toByteArray();
    }

    private static TieredStore open(Path dir) throws Exception {
        return TieredStore.open(
                dir,
                8 << 20,
                new LocalArchiveStorage(dir.resolve("cold")),
                8 << 20,
                new MutableClock(0));
    }

    private static final StorageConfig CONFIG =
            StorageConfig.fromMap(
                    Map.of(
                            "prefetch-window", "8",
                            "prefetch-parallelism", "2",
                            "prefetch-fast-read", "PT0.002S"));

    /** Walks the file through a prefetcher whose network reads each take {@code readNanos}. */
    private static Walk walk(Path dir, long readNanos) throws Exception {
        List<Block> file = file();
        Cid root = file.get(file.size() - 1).cid();
        AtomicLong clock = new AtomicLong();
        AtomicInteger networkReads = new AtomicInteger();
        try (TieredStore remote = open(dir.resolve("remote"));
                TieredStore local = open(dir.resolve("local"))) {
            remote.putAll(file);
            BlockSource network =
                    c -> {
                        networkReads.incrementAndGet();
                        clock.addAndGet(readNanos);
                        return remote.get(c);
                    };
            try (Prefetcher p =
                    new Prefetcher(
                            local,
                            null,
                            new AccessTracker(local.clock(), Duration.ofHours(1)),
                            CONFIG,
                            network,
                            clock::get,
                            Runnable::run)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                UnixFsFile.write(p, root, out);
                assertThat(out.toByteArray()).isEqualTo(content(file));
                for (Block b : file) {
                    assertThat(local.get(b.cid())).as("kept locally").isEqualTo(b);
                }
                return new Walk(
                        p.prefetched(),
                        p.skippedBecauseFast(),
                        p.networkPrefetchActive(),
                        networkReads.get());
            }
        }
    }

    record Walk(long prefetched, long skipped, boolean active, int networkReads) {}

    @Test
    void slowNetworkReadsPrefetchTheRestOfTheFileAhead(@TempDir Path dir) throws Exception {
        Walk w = walk(dir, TimeUnit.MILLISECONDS.toNanos(30));
        // only the root is read on demand; every leaf arrives ahead of the walk
        assertThat(w.prefetched()).isEqualTo(LEAVES);
        assertThat(w.skipped()).isZero();
        assertThat(w.active()).isTrue();
        assertThat(w.networkReads()).isEqualTo(LEAVES + 1);
    }

    @Test
    void fastNetworkReadsTurnPrefetchingOff(@TempDir Path dir) throws Exception {
        Walk w = walk(dir, TimeUnit.MICROSECONDS.toNanos(100));
        // the first prediction (8 links) ran before enough reads were measured; then it is off
        assertThat(w.prefetched()).isEqualTo(8);
        assertThat(w.skipped()).isPositive();
        assertThat(w.active()).isFalse();
        assertThat(w.networkReads()).isEqualTo(LEAVES + 1);
    }

    @Test
    void prefetchesRunAsSeveralConcurrentReads(@TempDir Path dir) throws Exception {
        List<Block> file = file();
        Cid root = file.get(file.size() - 1).cid();
        CyclicBarrier two = new CyclicBarrier(2);
        AtomicInteger arrivals = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (TieredStore remote = open(dir.resolve("remote"));
                TieredStore local = open(dir.resolve("local"))) {
            remote.putAll(file);
            BlockSource network =
                    c -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        try {
                            if (!c.equals(root) && arrivals.incrementAndGet() <= 2) {
                                // the first two prefetch reads meet here only if they overlap
                                two.await(20, TimeUnit.SECONDS);
                            }
                        } catch (Exception e) {
                            // not overlapping: the barrier timed out, maxConcurrent stays 1
                        } finally {
                            concurrent.decrementAndGet();
                        }
                        return remote.get(c);
                    };
            try (Prefetcher p =
                    new Prefetcher(
                            local,
                            null,
                            new AccessTracker(local.clock(), Duration.ofHours(1)),
                            CONFIG,
                            network,
                            new AtomicLong(Long.MAX_VALUE / 2)::getAndIncrement,
                            null)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                UnixFsFile.write(p, root, out);
                assertThat(out.toByteArray()).isEqualTo(content(file));
            }
        }
        assertThat(maxConcurrent.get()).isGreaterThanOrEqualTo(2);
    }
}
