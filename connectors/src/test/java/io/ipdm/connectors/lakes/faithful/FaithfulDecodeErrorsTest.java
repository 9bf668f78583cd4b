package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdCompressor;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.io.InputStatus;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old Faithful decode errors in words, through the old-faithful source's reader: each names the
 * archive, the offset, the slot, the transaction index where there is one, and what is wrong, and
 * none shows a Java class name.
 */
class FaithfulDecodeErrorsTest {
    @TempDir static Path dir;
    static GetBlockArchive.ArchiveBlock real;

    @BeforeAll
    static void template() throws Exception {
        // the base58 block with 57 transactions: small and real
        real =
                GetBlockArchive.readAll(GetBlockArchiveTest.realBlocks()).stream()
                        .filter(b -> b.txs().size() == 57)
                        .findFirst()
                        .orElseThrow();
    }

    static void read(Path car) throws Exception {
        ArchiveOptions o =
                ArchiveOptions.of(List.of(car.toString()))
                        .with(
                                dir.resolve("idx").toString(),
                                10,
                                3,
                                java.time.Duration.ofMillis(1),
                                java.time.Duration.ofSeconds(5),
                                ArchiveOptions.Prefetch.OFF,
                                4096);
        ArchiveReader r = new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        r.addSplits(ArchiveDiscovery.discover(o).splits());
        r.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        try {
            while (r.pollNext(out) != InputStatus.END_OF_INPUT) {}
        } finally {
            r.close();
        }
    }

    /** An archive of the real block at slot 1000 whose transactions are {@code txs}. */
    static Path archive(String name, List<FaithfulCarWriter.Tx> txs) throws Exception {
        Path car = dir.resolve(name);
        try (FaithfulCarWriter w = new FaithfulCarWriter(car)) {
            w.add(1000, 999, real.blockhash(), real.blockTime(), 5L, txs, real.rewardsFrame());
            w.finish();
        }
        return car;
    }

    static List<FaithfulCarWriter.Tx> withTx(int index, FaithfulCarWriter.Tx tx) {
        List<FaithfulCarWriter.Tx> txs = new ArrayList<>(real.txs());
        txs.set(index, tx);
        return txs;
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertReadFails(Path car) {
        return assertThatThrownBy(() -> read(car))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(car + ": ")
                .satisfies(
                        e ->
                                assertThat(e.getMessage())
                                        .doesNotContainPattern(
                                                "[A-Za-z]+Exception|java\\.|io\\.ipdm|airlift"));
    }

    static byte[] zstd(byte[] raw) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    @Test
    void corruptZstdMetadataNamesSlotTransactionAndOffset() throws Exception {
        FaithfulCarWriter.Tx t = real.txs().get(3);
        byte[] bad = t.metaFrame().clone();
        bad[bad.length / 2] ^= 0x5a;
        bad[bad.length / 2 + 1] ^= 0x33;
        Path car = archive("bad-zstd.car", withTx(3, new FaithfulCarWriter.Tx(t.wire(), bad)));
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: slot 1000, transaction 3 \\(Transaction node at offset [0-9]+\\):"
                                + " transaction metadata (is not valid zstd|inflates to|is neither).*");
        Path notZstd =
                archive(
                        "not-zstd.car",
                        withTx(3, new FaithfulCarWriter.Tx(t.wire(), new byte[] {1, 2, 3, 4, 5})));
        assertReadFails(notZstd)
                .hasMessageMatching(
                        ".*: slot 1000, transaction 3 \\(Transaction node at offset [0-9]+\\):"
                                + " transaction metadata is not valid zstd \\(.+\\)");
    }

    @Test
    void corruptProtobufMetadataSaysNeitherLayoutFits() throws Exception {
        FaithfulCarWriter.Tx t = real.txs().get(0);
        // field 2 (fee) as a length-delimited field that claims more bytes than there are
        byte[] raw = {0x12, 0x7f, 1, 2};
        Path car =
                archive("bad-proto.car", withTx(0, new FaithfulCarWriter.Tx(t.wire(), zstd(raw))));
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: slot 1000, transaction 0 \\(Transaction node at offset [0-9]+\\):"
                                + " transaction metadata is neither bincode \\(.+\\) nor protobuf"
                                + " \\(TransactionStatusMeta: .+\\)");
    }

    @Test
    void corruptWireTransactionNamesTheByte() throws Exception {
        FaithfulCarWriter.Tx t = real.txs().get(5);
        byte[] wire = Arrays.copyOf(t.wire(), 40); // cut inside the first signature
        Path car =
                archive("bad-wire.car", withTx(5, new FaithfulCarWriter.Tx(wire, t.metaFrame())));
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: slot 1000, transaction 5 \\(Transaction node at offset [0-9]+\\):"
                                + " malformed wire transaction at byte [0-9]+: .+");
    }

    @Test
    void blockBytesThatDoNotHashToTheirCid() throws Exception {
        Path car = archive("flipped.car", real.txs());
        byte[] sig = Arrays.copyOfRange(real.txs().get(7).wire(), 1, 65);
        byte[] all = Files.readAllBytes(car);
        int at = indexOf(all, sig);
        assertThat(at).isPositive();
        try (RandomAccessFile f = new RandomAccessFile(car.toFile(), "rw")) {
            f.seek(at + 10);
            f.write(all[at + 10] ^ 1);
        }
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: at offset [0-9]+ \\((slots 1000-1000|building the slot index)\\):"
                                + " block bafy\\w+ does not match its CID \\(corrupt archive\\).*");
    }

    @Test
    void truncatedSectionNamesOffsetAndSlots() throws Exception {
        Path car = archive("truncated.car", real.txs());
        Path cut = dir.resolve("cut.car");
        byte[] all = Files.readAllBytes(car);
        // keep the slot index of the whole archive, then cut the file in the middle of the block
        read(car);
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertReadFails(cut).hasMessageContaining("truncated");
    }

    /** A node of a kind Old Faithful does not have, among a block's nodes. */
    @Test
    void unknownNodeKind() throws Exception {
        Path car = dir.resolve("unknown-kind.car");
        List<Object> entryTxs = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        FaithfulCarWriter.Tx t = real.txs().get(0);
        Block tx = node(Arrays.asList(0L, frame(t.wire()), frame(t.metaFrame()), 1000L, 0L));
        blocks.add(tx);
        entryTxs.add(tx.cid());
        blocks.add(node(Arrays.asList(9L, "a node of kind 9")));
        Block entry =
                node(
                        Arrays.asList(
                                1L,
                                0L,
                                io.ipdm.multiformats.Base58.decode(real.blockhash()),
                                entryTxs));
        blocks.add(entry);
        blocks.add(
                node(
                        Arrays.asList(
                                2L,
                                1000L,
                                List.of(List.of(0L, -1L)),
                                List.of(entry.cid()),
                                Arrays.asList(999L, 1L, 5L),
                                FaithfulCarWriter.NO_REWARDS)));
        write(car, blocks);
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: at offset [0-9]+ \\(slots 1000-1000\\): block bafy\\w+ has unknown node"
                                + " kind 9; the file is not an Old Faithful archive or is corrupt");
    }

    /** A Transaction node whose data frame is a number: where in the node, and what. */
    @Test
    void nodeThatBreaksTheSchema() throws Exception {
        Path car = dir.resolve("schema.car");
        List<Block> blocks = new ArrayList<>();
        Block tx = node(Arrays.asList(0L, 7L, frame(new byte[0]), 1000L, 0L));
        blocks.add(tx);
        Block entry =
                node(
                        Arrays.asList(
                                1L,
                                0L,
                                io.ipdm.multiformats.Base58.decode(real.blockhash()),
                                List.of(tx.cid())));
        blocks.add(entry);
        blocks.add(
                node(
                        Arrays.asList(
                                2L,
                                1000L,
                                List.of(),
                                List.of(entry.cid()),
                                Arrays.asList(999L, 1L, 5L),
                                FaithfulCarWriter.NO_REWARDS)));
        write(car, blocks);
        assertReadFails(car)
                .hasMessageMatching(
                        ".*: slot 1000, transaction 0 \\(Transaction node at offset [0-9]+\\) does"
                                + " not follow the Old Faithful schema: at byte 2 of the node: a"
                                + " DataFrame is an unsigned integer where a list belongs");
    }

    private static List<Object> frame(byte[] data) {
        return Arrays.asList(6L, null, null, null, data);
    }

    private static Block node(List<Object> value) {
        return Block.of(Multicodec.DAG_CBOR, DagCbor.encode(value));
    }

    private static void write(Path car, List<Block> blocks) throws Exception {
        try (OutputStream out = Files.newOutputStream(car)) {
            Cid root = blocks.get(blocks.size() - 1).cid();
            CarWriter w = new CarWriter(out, List.of(root));
            for (Block b : blocks) {
                w.write(b);
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
