package io.ipdm.lakes.piece;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommPTest {

    private static void checkRows(String file, byte fill) throws IOException {
        List<String> rows =
                Files.readAllLines(SharedData.dir("filecoin/go-fil-commp-hashhash/" + file));
        assertThat(rows).hasSize(18);
        for (String row : rows) {
            String[] f = row.split(",");
            byte[] payload = new byte[Integer.parseInt(f[0])];
            Arrays.fill(payload, fill);
            PieceCommitment pc = CommP.of(payload);
            assertThat(pc.paddedPieceSize()).as(row).isEqualTo(Long.parseLong(f[1]));
            assertThat(pc.cidV1().toString()).as(row).isEqualTo(f[2]);
        }
    }

    @Test
    void zeroAndCcVectorsFromLotus() throws IOException {
        checkRows("zero.txt", (byte) 0);
        checkRows("0xCC.txt", (byte) 0xCC);
    }

    /** storacha/data-segment's generator: 64-byte steps, each the SHA-512 of the previous step. */
    static byte[] sha512Chain(int size) throws Exception {
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        byte[] out = new byte[size + 64];
        byte[] prev = new byte[0];
        for (int off = 0; off < size; off += 64) {
            prev = sha512.digest(prev);
            System.arraycopy(prev, 0, out, off, 64);
        }
        return Arrays.copyOf(out, size);
    }

    @Test
    void storachaVectorsV1AndV2() throws Exception {
        List<String> rows =
                Files.readAllLines(
                        SharedData.dir("filecoin/storacha-data-segment/commp-vector.csv"));
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            byte[] content = sha512Chain(Integer.parseInt(f[0]));
            assertThat(Cid.sha256(Multicodec.RAW, content).toString()).as(row).isEqualTo(f[1]);
            PieceCommitment pc = CommP.of(content);
            assertThat(pc.paddedPieceSize() / 128 * 127).as(row).isEqualTo(Long.parseLong(f[2]));
            assertThat(pc.paddedPieceSize()).as(row).isEqualTo(Long.parseLong(f[3]));
            assertThat(pc.cidV1().toString()).as(row).isEqualTo(f[4]);
            PieceCommitment back = PieceCommitment.fromCidV2(pc.cidV2());
            assertThat(back.root()).isEqualTo(pc.root());
            assertThat(back.payloadSize()).isEqualTo(content.length);
            checked++;
        }
        assertThat(checked).isEqualTo(83);
    }

    @Test
    void emptyPayloadPieceCidV2() {
        PieceCommitment pc = CommP.of(new byte[0]);
        assertThat(pc.cidV2().toString())
                .isEqualTo("bafkzcibcp4bdomn3tgwgrh3g532zopskstnbrd2n3sxfqbze7rxt7vqn7veigmy");
        assertThat(pc.paddedPieceSize()).isEqualTo(128);
        assertThat(pc.height()).isEqualTo(2);
        assertThat(pc.padding()).isEqualTo(127);
    }

    @Test
    void dataSegmentSampleAggregate() throws IOException {
        Path dir = SharedData.dir("filecoin/go-data-segment/sample_aggregate");
        String[][] expected = {
            {
                "cat.png.car",
                "baga6ea4seaqae5ysjdbsr4b5jhotaz5ooh62jrrdbxwygfpkkfjz44kvywycmgy",
                "524288"
            },
            {
                "Verifiable_Data_Aggregation.png.car",
                "baga6ea4seaqnrm2n2g4m23t6rs26obxjw2tjtr7tcho24gepj2naqhevytduyoa",
                "262144"
            },
            {
                "deal.data",
                "baga6ea4seaqnqkeoqevjjjfe46wo2lpfclcbmkyms4wkz5srou3vzmr3w3c72bq",
                "1048576"
            },
            {
                "index.data",
                "baga6ea4seaqhcxljs2dth37blnnevcbzvf2bkveytmtpdiq6lwseenadxzzoyei",
                "512"
            },
        };
        for (String[] e : expected) {
            PieceCommitment pc = CommP.of(Files.readAllBytes(dir.resolve(e[0])));
            assertThat(pc.cidV1().toString()).as(e[0]).isEqualTo(e[1]);
            assertThat(pc.paddedPieceSize()).as(e[0]).isEqualTo(Long.parseLong(e[2]));
        }
    }

    @Test
    void zeroSubtreeRootsMatchGoDataSegment() throws IOException {
        byte[] z = Files.readAllBytes(SharedData.dir("filecoin/go-data-segment/zerocomm.bin"));
        assertThat(z).hasSize(64 * 32);
        for (int i = 0; i < 64; i++) {
            assertThat(CommP.ZERO[i])
                    .as("level " + i)
                    .isEqualTo(Arrays.copyOfRange(z, 32 * i, 32 * i + 32));
        }
    }

    @Test
    void streamingInOddPiecesAndTwoThreadsAgreeAcrossChunkBoundaries() {
        int chunk = 127 << 13;
        Random random = new Random(42);
        for (int size : new int[] {chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk + 5000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            PieceCommitment oneShot = CommP.of(data);
            CommP streaming = new CommP(2);
            for (int off = 0; off < size; ) {
                int n = Math.min(size - off, 1 + random.nextInt(300_000));
                streaming.update(data, off, n);
                off += n;
            }
            PieceCommitment two = streaming.finish();
            assertThat(two.root()).as("size " + size).isEqualTo(oneShot.root());
            assertThat(two.paddedPieceSize()).isEqualTo(oneShot.paddedPieceSize());
        }
    }
}
