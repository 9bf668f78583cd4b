package io.ipdm.lakes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.Tier;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ipdm lake --config} key does what it says, through {@link LakeCommands} (what the
 * CLI runs): each test sets one key and shows its effect against the default. {@link
 * #everyKeyIsCovered} keeps this list and {@link StorageConfig}'s keys in step.
 */
class StorageConfigKeysTest {
    /** Key -> the test (here or elsewhere) that shows it working. */
    private static final Map<String, String> COVERED =
            Map.of(
                    "hot-bytes", "hotBytesBoundsTheHotTier",
                    "cold-archive-bytes", "coldArchiveBytesIsTheArchiveSize",
                    "warm-max-bytes", "warmMaxBytesDemotesBySize",
                    "warm-max-age", "warmMaxAgeAndWarmIdleDemoteByAge",
                    "warm-idle", "warmMaxAgeAndWarmIdleDemoteByAge",
                    "prefetch-window", "prefetchWindowPrefetchesColdSiblings",
                    "prefetch-parallelism",
                            "NetworkPrefetchTest.prefetchesRunAsSeveralConcurrentReads",
                    "prefetch-fast-read", "NetworkPrefetchTest.fastNetworkReadsTurnPrefetchingOff");

    @Test
    void everyKeyIsCovered() throws Exception {
        Field keys = StorageConfig.class.getDeclaredField("KEYS");
        keys.setAccessible(true);
        assertThat(new TreeSet<>(COVERED.keySet()))
                .isEqualTo(new TreeSet<>((List<?>) keys.get(null)));
    }

    private static Cid putFile(LakeCommands lake, Path dir) throws Exception {
        byte[] content = new byte[5 * LakeCommands.CHUNK + 100];
        new Random(3).nextBytes(content);
        Path f = dir.resolve("f.bin");
        Files.write(f, content);
        return lake.put(f); // 6 leaves and a root, pinned
    }

    private static LakeCommands open(Path dir, Map<String, String> settings) throws Exception {
        return LakeCommands.open(dir.resolve("lake"), StorageConfig.fromMap(settings));
    }

    @Test
    void hotBytesBoundsTheHotTier(@TempDir Path dir) throws Exception {
        try (LakeCommands lake = open(dir, Map.of("hot-bytes", "4096"))) {
            assertThat(lake.store().hot().maxBytes()).isEqualTo(4096);
        }
        try (LakeCommands lake = open(dir, Map.of())) {
            assertThat(lake.store().hot().maxBytes()).isEqualTo(256L << 20);
        }
    }

    @Test
    void coldArchiveBytesIsTheArchiveSize(@TempDir Path dir) throws Exception {
        try (LakeCommands lake =
                open(
                        dir.resolve("small"),
                        Map.of("warm-max-bytes", "0", "cold-archive-bytes", "1024"))) {
            putFile(lake, dir);
            LakeCommands.GcReport r = lake.gc();
            // a 1 MiB leaf outgrows a 1 KiB archive, so each seals its own (the two small
            // blocks may share one)
            assertThat(r.archives()).hasSizeBetween(6, 7);
            assertThat(r.archives().stream().mapToLong(m -> m.blocks()).sum()).isEqualTo(7);
        }
        try (LakeCommands lake = open(dir.resolve("default"), Map.of("warm-max-bytes", "0"))) {
            putFile(lake, dir);
            assertThat(lake.gc().archives()).hasSize(1);
        }
    }

    @Test
    void warmMaxBytesDemotesBySize(@TempDir Path dir) throws Exception {
        try (LakeCommands lake = open(dir.resolve("a"), Map.of("warm-max-bytes", "0"))) {
            putFile(lake, dir);
            LakeCommands.GcReport r = lake.gc();
            assertThat(r.demotedBySize()).isEqualTo(7);
            assertThat(r.demotedByAge()).isZero();
        }
        try (LakeCommands lake = open(dir.resolve("b"), Map.of())) {
            putFile(lake, dir);
            assertThat(lake.gc().demotedBySize()).isZero();
        }
    }

    @Test
    void warmMaxAgeAndWarmIdleDemoteByAge(@TempDir Path dir) throws Exception {
        try (LakeCommands lake = open(dir.resolve("a"), Map.of("warm-max-age", "PT0S"))) {
            putFile(lake, dir);
            assertThat(lake.gc().demotedByAge()).as("old and never read").isEqualTo(7);
        }
        try (LakeCommands lake = open(dir.resolve("b"), Map.of())) {
            putFile(lake, dir);
            assertThat(lake.gc().demotedByAge()).as("younger than a day").isZero();
        }
        try (LakeCommands lake =
                open(dir.resolve("c"), Map.of("warm-max-age", "PT0S", "warm-idle", "PT1H"))) {
            Cid root = putFile(lake, dir);
            lake.get(root.toString(), new ByteArrayOutputStream());
            assertThat(lake.gc().demotedByAge()).as("read within warm-idle").isZero();
        }
        try (LakeCommands lake =
                open(dir.resolve("d"), Map.of("warm-max-age", "PT0S", "warm-idle", "PT0S"))) {
            Cid root = putFile(lake, dir);
            lake.get(root.toString(), new ByteArrayOutputStream());
            assertThat(lake.gc().demotedByAge()).as("read, but warm-idle is 0").isEqualTo(7);
        }
    }

    @Test
    void prefetchWindowPrefetchesColdSiblings(@TempDir Path dir) throws Exception {
        assertThat(coldHitsReadingAColdFile(dir.resolve("off"), "0")).isEqualTo(7);
        // the root comes from cold; its leaves were fetched into hot ahead of the reads
        assertThat(coldHitsReadingAColdFile(dir.resolve("on"), "8")).isEqualTo(1);
    }

    private static long coldHitsReadingAColdFile(Path dir, String window) throws Exception {
        Map<String, String> s = Map.of("warm-max-bytes", "0", "prefetch-window", window);
        Cid root;
        try (LakeCommands lake = open(dir, s)) {
            root = putFile(lake, dir);
            lake.gc();
        }
        try (LakeCommands lake = open(dir, s)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lake.get(root.toString(), out);
            assertThat(out.size()).isEqualTo(5 * LakeCommands.CHUNK + 100);
            return lake.store().metrics().hits(Tier.COLD);
        }
    }
}
