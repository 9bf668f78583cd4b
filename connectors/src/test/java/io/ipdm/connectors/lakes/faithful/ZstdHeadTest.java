package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.zstd.ZstdCompressor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ZstdHead} reads the first byte a frame inflates to, without inflating it: checked against
 * inflating, over frames written by both compressors on the classpath (airlift's, as {@code ipdm
 * solana gen-car} writes metadata; zstd's own at fast to strong levels), with raw, RLE and
 * Huffman-coded literals, FSE-compressed and direct Huffman weights, one and four streams; and over
 * corrupt and truncated frames, where it may say it cannot tell but never throws.
 */
class ZstdHeadTest {
    private final ZstdHead head = new ZstdHead();

    /** Inputs of many shapes: sizes 1 B - 64 KB, few to all byte values, skewed or flat. */
    private static List<byte[]> inputs() {
        Random r = new Random(14);
        List<byte[]> out = new ArrayList<>();
        int[] sizes = {1, 2, 7, 30, 64, 100, 300, 1000, 1500, 4000, 20_000, 65_000};
        for (int size : sizes) {
            for (int alphabet : new int[] {1, 3, 12, 40, 100, 256}) {
                for (int variant = 0; variant < 4; variant++) {
                    byte[] b = new byte[size];
                    for (int i = 0; i < size; i++) {
                        // skewed: small values much more likely (Huffman-friendly)
                        int v = variant % 2 == 0 ? r.nextInt(alphabet) : skewed(r, alphabet);
                        b[i] = (byte) (variant >= 2 ? v : v + 0x10);
                    }
                    if (variant == 3 && size > 40) { // protobuf-ish: a tag, then repeats
                        b[0] = 0x0A;
                        for (int i = 8; i + 20 < size; i += 37) {
                            System.arraycopy(b, 1, b, i, 12);
                        }
                    }
                    out.add(b);
                }
            }
        }
        return out;
    }

    private static int skewed(Random r, int alphabet) {
        int v = (int) Math.abs(r.nextGaussian() * Math.max(1, alphabet / 8.0));
        return Math.min(alphabet - 1, v);
    }

    private static byte[] airlift(byte[] raw) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        return Arrays.copyOf(out, c.compress(raw, 0, raw.length, out, 0, out.length));
    }

    @Test
    void firstByteIsTheFirstInflatedByteForEveryCompressorAndLevel() {
        int known = 0;
        int huffman = 0;
        int frames = 0;
        for (byte[] raw : inputs()) {
            List<byte[]> compressed = new ArrayList<>();
            compressed.add(airlift(raw));
            for (int level : new int[] {-5, 1, 3, 9, 19}) {
                compressed.add(Zstd.compress(raw, level));
            }
            for (byte[] frame : compressed) {
                frames++;
                // in the middle of a larger buffer, as a node's frame lies in an archive chunk
                byte[] buf = new byte[frame.length + 20];
                System.arraycopy(frame, 0, buf, 7, frame.length);
                int got = head.firstByte(buf, 7, frame.length);
                if (got != ZstdHead.UNKNOWN) {
                    assertThat(got)
                            .as("first byte of %d bytes", raw.length)
                            .isEqualTo(raw[0] & 0xff);
                    known++;
                    huffman += literals(frame) == 2 ? 1 : 0;
                }
            }
        }
        // it gives up only on what it does not follow, not on ordinary frames
        assertThat(known).isEqualTo(frames);
        assertThat(huffman).as("frames read through their Huffman weights").isGreaterThan(100);
    }

    @Test
    void bothWaysOfWritingHuffmanWeightsAreRead() {
        int direct = 0;
        int fse = 0;
        for (byte[] raw : inputs()) {
            for (byte[] frame : List.of(airlift(raw), Zstd.compress(raw, 3))) {
                int kind = weightsKind(frame);
                if (kind < 0) {
                    continue;
                }
                assertThat(head.firstByte(frame, 0, frame.length)).isEqualTo(raw[0] & 0xff);
                if (kind == 1) {
                    direct++;
                } else {
                    fse++;
                }
            }
        }
        assertThat(direct).as("direct (4-bit) weights").isPositive();
        assertThat(fse).as("FSE-compressed weights").isPositive();
    }

    @Test
    void corruptOrTruncatedFramesNeverThrow() {
        Random r = new Random(7);
        int agreeing = 0;
        for (byte[] raw : inputs()) {
            byte[] frame = Zstd.compress(raw, 3);
            for (int cut = 0; cut < frame.length; cut += Math.max(1, frame.length / 9)) {
                head.firstByte(frame, 0, cut); // any answer, no exception
            }
            for (int k = 0; k < 20; k++) {
                byte[] bad = frame.clone();
                bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
                int got = head.firstByte(bad, 0, bad.length);
                assertThat(got).isBetween(ZstdHead.UNKNOWN, 255);
                agreeing += got == (raw[0] & 0xff) ? 1 : 0;
            }
        }
        assertThat(agreeing).isPositive();
        assertThat(head.firstByte(new byte[] {1, 2, 3, 4, 5}, 0, 5)).isEqualTo(ZstdHead.UNKNOWN);
        assertThat(head.firstByte(new byte[0], 0, 0)).isEqualTo(ZstdHead.UNKNOWN);
        byte[] empty = Zstd.compress(new byte[0], 3);
        assertThat(head.firstByte(empty, 0, empty.length)).isEqualTo(ZstdHead.UNKNOWN);
    }

    @Test
    void statusReadsErrFromTheFirstByteOfProtobufMetadataOnly() {
        byte[] failed = Zstd.compress(new byte[] {0x0A, 2, 0x0A, 0, 0x10, 5}, 3);
        byte[] succeeded = Zstd.compress(new byte[] {0x10, (byte) 0x88, 0x27, 0x1A, 0}, 3);
        byte[] bincode = Zstd.compress(new byte[] {0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0}, 3);
        long slot = 300_000_000L;
        assertThat(TransactionMeta.status(failed, 0, failed.length, slot))
                .isEqualTo(TransactionMeta.FAILED);
        assertThat(TransactionMeta.status(succeeded, 0, succeeded.length, slot))
                .isEqualTo(TransactionMeta.SUCCEEDED);
        // not a protobuf tag: the whole frame must be decoded to tell
        assertThat(TransactionMeta.status(bincode, 0, bincode.length, slot))
                .isEqualTo(TransactionMeta.STATUS_UNKNOWN);
        // bincode epochs, and an empty frame, are never read this way
        assertThat(TransactionMeta.status(failed, 0, failed.length, 1000))
                .isEqualTo(TransactionMeta.STATUS_UNKNOWN);
        assertThat(TransactionMeta.status(failed, 0, 0, slot))
                .isEqualTo(TransactionMeta.STATUS_UNKNOWN);
    }

    /** Offset of the first block's content in a frame (no dictionary). */
    private static int blockContent(byte[] f) {
        int d = f[4] & 0xff;
        boolean single = (d & 0x20) != 0;
        int p = 5 + (single ? 0 : 1);
        int flag = d >>> 6;
        p += flag == 0 ? (single ? 1 : 0) : flag == 1 ? 2 : flag == 2 ? 4 : 8;
        return p;
    }

    /**
     * The first block's literals type (0 raw, 1 RLE, 2 Huffman, 3 treeless), -1 if not compressed.
     */
    private static int literals(byte[] f) {
        int p = blockContent(f);
        if (p + 4 > f.length) {
            return -1;
        }
        int header = (f[p] & 0xff) | (f[p + 1] & 0xff) << 8 | (f[p + 2] & 0xff) << 16;
        if (((header >>> 1) & 3) != 2) {
            return -1;
        }
        return f[p + 3] & 3;
    }

    /** 1 for direct weights, 2 for FSE-compressed ones, -1 when no Huffman literals. */
    private static int weightsKind(byte[] f) {
        if (literals(f) != 2) {
            return -1;
        }
        int p = blockContent(f) + 3;
        int format = (f[p] >>> 2) & 3;
        int tree = p + (format <= 1 ? 3 : format == 2 ? 4 : 5);
        return (f[tree] & 0xff) >= 128 ? 1 : 2;
    }
}
