package io.ipdm.lakes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.piece.CommP;
import io.ipdm.multiformats.Multicodec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdTierTest {

    private static List<Block> blocks(int n, int size) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ColdWriterMain.block(i));
        }
        return out;
    }

    private static ColdTier open(Path dir, long target) throws Exception {
        return new ColdTier(new LocalArchiveStorage(dir.resolve("a")), dir.resolve("i"), target);
    }

    @Test
    void archivesAreSealedWithTheirPieceCidAndReadBack(@TempDir Path dir) throws Exception {
        List<Block> blocks = blocks(40, 0);
        try (ColdTier cold = open(dir, 1 << 20)) {
            for (int i = 0; i < blocks.size(); i += 5) {
                cold.putAll(blocks.subList(i, i + 5));
            }
            for (Block b : blocks) {
                assertThat(cold.get(b.cid()).data()).isEqualTo(b.data());
            }
        }
        try (ColdTier cold = open(dir, 1 << 20)) {
            List<ArchiveManifest> manifests = cold.manifests();
            assertThat(manifests).hasSizeGreaterThan(1);
            assertThat(manifests.stream().mapToLong(ArchiveManifest::blocks).sum()).isEqualTo(40);
            for (ArchiveManifest m : manifests) {
                byte[] archive = Files.readAllBytes(dir.resolve("a").resolve(m.archive()));
                assertThat(m.payloadSize()).isEqualTo(archive.length);
                assertThat(m.pieceCidV1()).isEqualTo(CommP.of(archive).cidV1());
                assertThat(m.pieceCidV2()).isEqualTo(CommP.of(archive).cidV2());
            }
            for (Block b : blocks) {
                assertThat(cold.get(b.cid()).data()).isEqualTo(b.data());
            }
        }
    }

    @Test
    void aTornTailIsCutOffAndTheRestKept(@TempDir Path dir) throws Exception {
        List<Block> blocks = blocks(6, 0);
        ColdTier cold = open(dir, 64 << 20);
        cold.putAll(blocks.subList(0, 3));
        // simulate a crash: the process dies without closing; then half a section lands on disk
        Path archive = dir.resolve("a").resolve("archive-000001.car");
        long good = Files.size(archive);
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(good);
            byte[] section = new byte[1000];
            section[0] = (byte) 0xE0; // varint length 0x3fe0... that the file cannot satisfy
            section[1] = (byte) 0x7F;
            f.write(section);
        }
        cold.closeWithoutSealing();
        try (ColdTier reopened = open(dir, 64 << 20)) {
            assertThat(Files.size(archive)).isEqualTo(good);
            for (Block b : blocks.subList(0, 3)) {
                assertThat(reopened.get(b.cid()).data()).isEqualTo(b.data());
            }
            assertThat(reopened.manifests())
                    .singleElement()
                    .satisfies(m -> assertThat(m.blocks()).isEqualTo(3));
            reopened.putAll(blocks.subList(3, 6));
            assertThat(reopened.get(blocks.get(5).cid()).data()).isEqualTo(blocks.get(5).data());
        }
    }

    @Test
    void aCorruptedArchiveIsNeverServed(@TempDir Path dir) throws Exception {
        Block b = Block.of(Multicodec.RAW, "some cold bytes".repeat(100).getBytes());
        try (ColdTier cold = open(dir, 1 << 20)) {
            cold.putAll(List.of(b));
        }
        Path archive = dir.resolve("a").resolve("archive-000001.car");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length - 10] ^= 1;
        Files.write(archive, bytes);
        try (ColdTier cold = open(dir, 1 << 20)) {
            assertThatThrownBy(() -> cold.get(b.cid()))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "cold archive archive-000001.car is corrupt at offset 18: block "
                                    + b.cid()
                                    + " does not verify");
        }
    }

    @Test
    void rejectsTooSmallTarget(@TempDir Path dir) {
        assertThatThrownBy(() -> open(dir, 10))
                .isInstanceOf(LakesException.class)
                .hasMessage("cold archive target size must be at least 1024 bytes, got 10");
    }
}
