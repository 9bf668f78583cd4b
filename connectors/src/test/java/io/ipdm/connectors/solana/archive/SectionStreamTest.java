package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every section is checked against its CID: the usual CIDv1 with a SHA-256 digest in place (no
 * {@link Cid} made), every other form (CIDv0, a codec of two varint bytes, an identity digest)
 * through {@link Cid}; in one chunk or spanning two. One flipped byte in any of them is a CID
 * mismatch naming the archive, the offset and the CID.
 */
class SectionStreamTest {
    @TempDir Path dir;

    /**
     * Blocks of every CID form, the first three about a chunk long, so each spans two chunks of
     * 4096.
     */
    private static List<Block> blocks() {
        byte[] a = data("a dag-cbor node, SHA-256 CIDv1");
        byte[] b = data("a CIDv0 block");
        byte[] c = data("a dag-json block: codec 0x0129 is two varint bytes");
        byte[] d = java.util.Arrays.copyOf(data("inline"), 1000); // identity digests: <= 1024
        return List.of(
                Block.of(Multicodec.DAG_CBOR, a),
                new Block(Cid.v0(Multihash.sha2_256(b)), b),
                new Block(Cid.v1(0x0129, Multihash.sha2_256(c)), c),
                new Block(Cid.v1(Multicodec.RAW, Multihash.identity(d)), d));
    }

    private static byte[] data(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(t, 4000);
        for (int i = t.length; i < out.length; i++) {
            out[i] = (byte) i;
        }
        return out;
    }

    private Path write(List<Block> blocks, List<Long> offsets) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CarWriter w = new CarWriter(out, List.of(blocks.get(0).cid()));
        for (Block b : blocks) {
            offsets.add(w.position());
            w.write(b);
        }
        Path p = dir.resolve("s.car");
        Files.write(p, out.toByteArray());
        return p;
    }

    private static ArchiveOptions options(Path car, int chunk) {
        ArchiveOptions o = ArchiveOptions.of(List.of(car.toString()));
        return o.with(
                o.indexDir(),
                o.splitBlocks(),
                o.maxAttempts(),
                o.initialBackoff(),
                o.requestTimeout(),
                ArchiveOptions.Prefetch.OFF,
                chunk);
    }

    private static List<SectionStream.Section> read(Path car, int chunk) throws Exception {
        ArchiveOptions o = options(car, chunk);
        List<SectionStream.Section> out = new ArrayList<>();
        try (ArchiveRange range = ArchiveRange.open(car.toString(), o);
                SectionStream s =
                        new SectionStream(range, o, SlotIndex.firstSection(range), range.size())) {
            for (SectionStream.Section sec = s.next(); sec != null; sec = s.next()) {
                out.add(sec);
            }
        }
        return out;
    }

    @Test
    void everyCidFormIsCheckedInOneChunkOrAcrossTwo() throws Exception {
        List<Block> blocks = blocks();
        List<Long> offsets = new ArrayList<>();
        Path car = write(blocks, offsets);
        for (int chunk : new int[] {1 << 20, 4096}) {
            List<SectionStream.Section> got = read(car, chunk);
            assertThat(got).hasSize(blocks.size());
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).cid())
                        .as("chunk %d, block %d", chunk, i)
                        .isEqualTo(blocks.get(i).cid());
                assertThat(got.get(i).data()).isEqualTo(blocks.get(i).data());
                assertThat(got.get(i).offset()).isEqualTo(offsets.get(i));
            }
        }
    }

    @Test
    void aFlippedByteInAnyBlockIsACidMismatch() throws Exception {
        List<Block> blocks = blocks();
        List<Long> offsets = new ArrayList<>();
        Path car = write(blocks, offsets);
        byte[] good = Files.readAllBytes(car);
        for (int i = 0; i < blocks.size(); i++) {
            long end = i + 1 < offsets.size() ? offsets.get(i + 1) : good.length;
            byte[] bad = good.clone();
            bad[(int) end - 1] ^= 0x01; // the block's last byte
            Files.write(car, bad);
            for (int chunk : new int[] {1 << 20, 4096}) {
                int victim = i;
                assertThatThrownBy(() -> read(car, chunk))
                        .as("block %d, chunk %d", victim, chunk)
                        .isInstanceOf(ArchiveException.class)
                        .hasMessage(
                                car
                                        + ": at offset "
                                        + offsets.get(victim)
                                        + ": block "
                                        + blocks.get(victim).cid()
                                        + " does not match its CID (corrupt archive): its bytes"
                                        + " hash to something else");
            }
        }
    }
}
