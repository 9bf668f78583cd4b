package io.ipdm.lakes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.store.LocalArchiveStorage;
import io.ipdm.lakes.store.Tier;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.testutils.MutableClock;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {

    static Block block(int i, int size) {
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, (byte) i);
        data[0] = (byte) (i >> 8);
        return Block.of(Multicodec.RAW, data);
    }

    private static TieredStore open(Path dir, MutableClock clock) throws Exception {
        return TieredStore.open(
                dir, 1 << 20, new LocalArchiveStorage(dir.resolve("cold")), 1 << 20, clock);
    }

    @Test
    void configFromSettingsRejectsUnknownKeysAndBadValues() {
        StorageConfig c =
                StorageConfig.fromMap(
                        Map.of("prefetch-window", "2", "warm-idle", "PT5M", "hot-bytes", "1024"));
        assertThat(c.prefetchWindow()).isEqualTo(2);
        assertThat(c.warmIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.hotBytes()).isEqualTo(1024);
        assertThatThrownBy(() -> StorageConfig.fromMap(Map.of("replication", "2")))
                .isInstanceOf(LakesException.class)
                .hasMessageStartingWith(
                        "storage config: unknown key 'replication'; allowed keys: cold-archive-bytes, hot-bytes,");
        assertThatThrownBy(() -> StorageConfig.fromMap(Map.of("warm-idle", "5m")))
                .isInstanceOf(LakesException.class)
                .hasMessage(
                        "storage config: warm-idle must be an ISO-8601 duration such as PT1H, got '5m'");
    }

    @Test
    void removedKeysSayTheyWereRemoved() {
        for (String k : StorageConfig.REMOVED) {
            assertThatThrownBy(() -> StorageConfig.fromMap(Map.of(k, "1")))
                    .isInstanceOf(LakesException.class)
                    .hasMessageStartingWith(
                            "storage config: '"
                                    + k
                                    + "' was removed: a lake setting never kept replicas;"
                                    + " replication subscriptions do (`ipdm net subscribe`, a"
                                    + " factor per subscription, repaired by storage nodes every"
                                    + " --repair-interval); drop the key (allowed keys:"
                                    + " cold-archive-bytes, hot-bytes,");
        }
    }

    @Test
    void lifecycleDemotesOldIdleBlocksAndTrimsBySize(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(1_000_000);
        StorageConfig config =
                StorageConfig.fromMap(
                        Map.of(
                                "warm-max-age",
                                "PT24H",
                                "warm-idle",
                                "PT1H",
                                "warm-max-bytes",
                                "2500"));
        AccessTracker access = new AccessTracker(clock, config.warmIdle());
        try (TieredStore store = open(dir, clock)) {
            List<Block> old = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                old.add(block(i, 1000));
            }
            store.putAll(old);
            clock.advance(Duration.ofHours(25));
            access.recordRead(old.get(0).cid());
            List<Block> young = new ArrayList<>();
            for (int i = 10; i < 14; i++) {
                young.add(block(i, 1000));
                store.put(young.get(young.size() - 1));
                clock.advance(Duration.ofMinutes(1));
            }
            LifecyclePolicy.Report r = new LifecyclePolicy(config, access).run(store);
            // 3 old idle blocks by age; then 5 kept (5000 bytes) > 2500: the 3 oldest go by size
            assertThat(r).isEqualTo(new LifecyclePolicy.Report(3, 3));
            store.hot().invalidate(old.get(0).cid());
            assertThat(store.stat(old.get(1).cid()).tier()).isEqualTo(Tier.COLD);
            assertThat(store.stat(old.get(0).cid()).tier()).isEqualTo(Tier.COLD);
            assertThat(store.stat(young.get(3).cid()).tier()).isIn(Tier.HOT, Tier.WARM);
            assertThat(store.warm().scan(e -> true, 100)).hasSize(2);
        }
    }

    @Test
    void sequentialReadsFromColdArePrefetched(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(0);
        StorageConfig config =
                StorageConfig.fromMap(Map.of("prefetch-window", "8", "prefetch-parallelism", "2"));
        try (TieredStore store =
                TieredStore.open(
                        dir,
                        8 << 20,
                        new LocalArchiveStorage(dir.resolve("cold")),
                        64 << 20,
                        clock)) {
            SequenceIndex slots = new SequenceIndex();
            List<Cid> cids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Block b = block(i, 5000);
                store.put(b);
                slots.put(1000 + i, b.cid());
                cids.add(b.cid());
            }
            store.demoteToCold(cids);
            try (Prefetcher p =
                    new Prefetcher(
                            store, slots, new AccessTracker(clock, config.warmIdle()), config)) {
                for (int i = 0; i < 50; i++) {
                    assertThat(p.get(cids.get(i)).data()).isEqualTo(block(i, 5000).data());
                }
                assertThat(p.prefetched()).isEqualTo(49);
            }
            assertThat(store.metrics().hits(Tier.COLD)).isEqualTo(1);
            assertThat(store.metrics().hits(Tier.HOT)).isEqualTo(49);
        }
    }
}
