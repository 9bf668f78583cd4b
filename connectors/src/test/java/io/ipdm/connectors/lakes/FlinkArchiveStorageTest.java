package io.ipdm.connectors.lakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.piece.CommP;
import io.ipdm.lakes.store.ArchiveManifest;
import io.ipdm.lakes.store.ColdTier;
import io.ipdm.multiformats.Multicodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold tier writing its archives through Flink's FileSystem (file:// here). */
class FlinkArchiveStorageTest {

    @Test
    void coldArchivesThroughFlinkFileSystem(@TempDir Path dir) throws Exception {
        String uri = dir.resolve("archives").toUri().toString();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            blocks.add(Block.of(Multicodec.RAW, ("block " + i + " ").repeat(2000).getBytes()));
        }
        try (ColdTier cold =
                new ColdTier(new FlinkArchiveStorage(uri), dir.resolve("index"), 100_000)) {
            for (int i = 0; i < 30; i += 3) {
                cold.putAll(blocks.subList(i, i + 3));
            }
        }
        try (ColdTier cold =
                new ColdTier(new FlinkArchiveStorage(uri), dir.resolve("index"), 100_000)) {
            for (Block b : blocks) {
                assertThat(cold.get(b.cid()).data()).isEqualTo(b.data());
            }
            List<ArchiveManifest> manifests = cold.manifests();
            assertThat(manifests).hasSizeGreaterThan(2);
            for (ArchiveManifest m : manifests) {
                byte[] bytes = Files.readAllBytes(dir.resolve("archives").resolve(m.archive()));
                assertThat(CommP.of(bytes).cidV1()).isEqualTo(m.pieceCidV1());
            }
            assertThat(cold.getRange(blocks.stream().map(Block::cid).toList(), 1 << 16))
                    .hasSize(30);
        }
    }
}
