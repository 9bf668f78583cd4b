package io.ipdm.lakes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredStoreTest {

    private static Block block(int i, int size) {
        byte[] data = new byte[size];
        for (int k = 0; k < size; k++) {
            data[k] = (byte) (i * 31 + k);
        }
        return Block.of(Multicodec.RAW, data);
    }

    @Test
    void storedListenersSeeEveryStoredBlockOnceItIsReadable(@TempDir Path dir) throws Exception {
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20)) {
            List<Cid> seen = new ArrayList<>();
            store.onStored(
                    cids -> {
                        for (Cid c : cids) {
                            assertThat(store.has(c)).isTrue();
                            seen.add(c);
                        }
                    });
            Block inline = new Block(Cid.parse("bafkqaaa"), new byte[0]);
            store.putAll(List.of(block(1, 100), inline, block(2, 100)));
            store.put(block(3, 100));
            // identity blocks are never stored, so nobody is told they were
            assertThat(seen)
                    .containsExactly(block(1, 100).cid(), block(2, 100).cid(), block(3, 100).cid());
        }
    }

    @Test
    void getsPromoteFromColdAndWarmAndCountPerTier(@TempDir Path dir) throws Exception {
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20)) {
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                blocks.add(block(i, 1000));
            }
            store.putAll(blocks);
            store.demoteToCold(blocks.subList(0, 5).stream().map(Block::cid).toList());
            assertThat(store.stat(blocks.get(0).cid()).tier()).isEqualTo(Tier.COLD);
            assertThat(store.metrics().demotions(Tier.WARM)).isEqualTo(5);

            // cold hit promotes to warm and hot
            assertThat(store.get(blocks.get(0).cid()).data()).isEqualTo(blocks.get(0).data());
            assertThat(store.metrics().hits(Tier.COLD)).isEqualTo(1);
            assertThat(store.metrics().promotions(Tier.WARM)).isEqualTo(1);
            assertThat(store.stat(blocks.get(0).cid()).tier()).isEqualTo(Tier.HOT);
            assertThat(store.get(blocks.get(0).cid())).isNotNull();
            assertThat(store.metrics().hits(Tier.HOT)).isEqualTo(1);

            // a block only in warm gets promoted to hot
            store.hot().invalidate(blocks.get(7).cid());
            assertThat(store.get(blocks.get(7).cid())).isNotNull();
            assertThat(store.metrics().hits(Tier.WARM)).isEqualTo(1);
            assertThat(store.metrics().promotions(Tier.HOT)).isEqualTo(2);

            Cid missing = Cid.sha256(Multicodec.RAW, new byte[] {1, 2, 3});
            assertThat(store.get(missing)).isNull();
            assertThat(store.metrics().misses(Tier.COLD)).isEqualTo(1);
            assertThat(store.stat(missing)).isNull();
        }
        // everything survives a reopen
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                assertThat(store.get(block(i, 1000).cid()).data()).isEqualTo(block(i, 1000).data());
            }
        }
    }

    @Test
    void hotTierIsBoundedInBytesAndKeepsPopularBlocksThroughAScan() {
        HotTier hot = new HotTier(100_000, true);
        // Caffeine starts counting frequencies once the cache is half full
        for (int i = 0; i < 60; i++) {
            hot.put(block(10_000 + i, 1000));
        }
        Block popular = block(-1, 1000);
        hot.put(popular);
        for (int i = 0; i < 20; i++) {
            hot.get(popular.cid());
        }
        for (int i = 0; i < 500; i++) {
            hot.put(block(i, 1000));
            assertThat(hot.weightedBytes()).isLessThanOrEqualTo(100_000);
        }
        assertThat(hot.get(popular.cid()))
                .as("W-TinyLFU keeps the frequently used block")
                .isNotNull();
        assertThat(hot.evictions()).isGreaterThan(300);
    }

    @Test
    void clockDrivesWarmTimestamps(@TempDir Path dir) throws Exception {
        Clock fixed = Clock.fixed(java.time.Instant.ofEpochMilli(1234), java.time.ZoneOffset.UTC);
        try (TieredStore store =
                TieredStore.open(
                        dir, 1 << 20, new LocalArchiveStorage(dir.resolve("c")), 1 << 20, fixed)) {
            store.put(block(1, 10));
            assertThat(store.warm().scan(e -> true, 10))
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.storedAtMillis()).isEqualTo(1234);
                                assertThat(e.size()).isEqualTo(10);
                            });
        }
    }
}
