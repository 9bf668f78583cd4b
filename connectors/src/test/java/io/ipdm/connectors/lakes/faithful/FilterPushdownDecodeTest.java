package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveRange;
import io.ipdm.connectors.solana.archive.BlockReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.block.SourceFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predicate push-down into the Old Faithful decoder ({@link FilteredRows} as the decoder's filter)
 * over an archive converted from the six real blocks: the rows kept are exactly the rows of a full
 * decode that the filter does not drop; a dropped transaction's metadata is never inflated; a block
 * whose every transaction is dropped still emits one carrier row with its block time; a condition
 * that throws keeps the row.
 */
class FilterPushdownDecodeTest {
    @TempDir static Path dir;
    static Path car;
    static List<SolanaBlock> expected = new ArrayList<>();

    static final List<String> COLUMNS =
            List.of("block_time", "fee", "success", "program_ids", "is_vote", "index", "slot");

    @BeforeAll
    static void archive() throws Exception {
        List<Path> files = GetBlockArchiveTest.realBlocks();
        car = dir.resolve("real.car");
        GetBlockArchive.convert(files, car);
        for (Path f : files) {
            expected.add(GetBlockDecoder.decodeFile(f));
        }
        expected.sort(Comparator.comparingLong(SolanaBlock::slot));
    }

    /** A filter on {@code !is_vote}: drops the rows whose is_vote is true. */
    static Projection nonVotes() {
        Projection p = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS);
        int at = p.columns().indexOf("is_vote");
        return p.withFilter(
                new SourceFilter(
                        "!is_vote", Set.of("is_vote"), r -> Boolean.TRUE.equals(r.getField(at))));
    }

    /** The rows a reader emits, block by block, through {@code rows}. */
    static List<Row> read(Path archive, Projection p, FilteredRows rows) throws Exception {
        ArchiveOptions o =
                ArchiveOptions.of(List.of(archive.toString()))
                        .with(
                                dir.resolve("idx").toString(),
                                4,
                                3,
                                Duration.ofMillis(1),
                                Duration.ofSeconds(5),
                                ArchiveOptions.Prefetch.OFF,
                                1 << 16);
        List<ArchiveSplit> splits = new ArrayList<>(ArchiveDiscovery.discover(o).splits());
        splits.sort(Comparator.comparingLong(ArchiveSplit::firstSlot));
        List<Row> out = new ArrayList<>();
        try (ArchiveRange range = ArchiveRange.open(archive.toString(), o)) {
            for (ArchiveSplit split : splits) {
                ArchiveSplit s = split;
                try (BlockReader r =
                        BlockReader.car(range, o, s, FaithfulNeeds.of(p), rows.decoderFilter())) {
                    for (SolanaBlock b = r.next(s); b != null; b = r.next(s)) {
                        out.addAll(rows.rowsOfFiltered(b));
                        s = s.advance(r.position(), b.slot(), b.blockhash());
                    }
                }
            }
        }
        return out;
    }

    private static List<Row> expectedRows(Projection p) {
        List<Row> out = new ArrayList<>();
        for (SolanaBlock b : expected) {
            out.addAll(SolanaRows.rows(b, p));
        }
        return out;
    }

    private static List<String> text(List<Row> rows) {
        return rows.stream().map(r -> Arrays.deepToString(fields(r))).toList();
    }

    private static Object[] fields(Row r) {
        Object[] f = new Object[r.getArity()];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.getField(i);
        }
        return f;
    }

    @Test
    void keptRowsAreTheFullDecodesRowsTheFilterDoesNotDrop() throws Exception {
        Projection p = nonVotes();
        FilteredRows rows = new FilteredRows(p);
        List<Row> got = read(car, p, rows);
        List<Row> all = expectedRows(Projection.of(SolanaTable.TRANSACTIONS, COLUMNS));
        int vote = p.columns().indexOf("is_vote");
        List<Row> want = all.stream().filter(r -> !(Boolean) r.getField(vote)).toList();
        assertThat(want).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(text(got)).isEqualTo(text(want));
        assertThat(rows.dropped()).isEqualTo(all.size() - want.size());
    }

    /**
     * Votes carry metadata frames that are not zstd: a filter that drops them reads the archive
     * (their frames are never inflated) and gives every non-vote's fee and status; without it the
     * same projection fails on the first vote.
     */
    @Test
    void aDroppedTransactionsMetadataIsNeverInflated() throws Exception {
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(GetBlockArchiveTest.realBlocks());
        List<SolanaBlock> decoded = new ArrayList<>();
        for (Path f : GetBlockArchiveTest.realBlocks()) {
            decoded.add(GetBlockDecoder.decodeFile(f));
        }
        Path bad = dir.resolve("garbage-vote-meta.car");
        List<Row> want = new ArrayList<>();
        Projection full = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS);
        try (FaithfulCarWriter w = new FaithfulCarWriter(bad)) {
            long slot = 500;
            for (int i = 0; i < templates.size(); i++) {
                GetBlockArchive.ArchiveBlock b = templates.get(i);
                SolanaBlock d = decoded.get(i);
                List<FaithfulCarWriter.Tx> txs = new ArrayList<>();
                List<Row> rows =
                        SolanaRows.rows(
                                new SolanaBlock(
                                        d.source(),
                                        true,
                                        slot,
                                        slot - 1,
                                        d.blockhash(),
                                        d.previousBlockhash(),
                                        b.blockTime(),
                                        1L,
                                        d.transactions(),
                                        null,
                                        null),
                                full);
                for (int t = 0; t < b.txs().size(); t++) {
                    FaithfulCarWriter.Tx tx = b.txs().get(t);
                    boolean vote = d.transactions().get(t).isVote();
                    txs.add(vote ? new FaithfulCarWriter.Tx(tx.wire(), new byte[] {9, 9, 9}) : tx);
                    if (!vote) {
                        want.add(rows.get(t));
                    }
                }
                w.add(slot, slot - 1, b.blockhash(), b.blockTime(), 1L, txs, new byte[0]);
                slot++;
            }
            w.finish();
        }
        Projection p = nonVotes();
        List<Row> got = read(bad, p, new FilteredRows(p));
        assertThat(text(got)).isEqualTo(text(want));
        assertThatThrownBy(() -> read(bad, full, new FilteredRows(full)))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("transaction metadata is not valid zstd");
    }

    /**
     * A filter that drops every transaction: each block still emits one row, its first
     * transaction's metadata-free columns with the block's time (so event time moves on as before),
     * the metadata columns null; it is not counted as dropped.
     */
    @Test
    void aBlockWhoseEveryTransactionIsDroppedEmitsOneCarrierRow() throws Exception {
        Projection p =
                Projection.of(SolanaTable.TRANSACTIONS, COLUMNS)
                        .withFilter(new SourceFilter("false", Set.of(), r -> true));
        FilteredRows rows = new FilteredRows(p);
        List<Row> got = read(car, p, rows);
        assertThat(got).hasSize(expected.size());
        long total = 0;
        for (int i = 0; i < expected.size(); i++) {
            SolanaBlock b = expected.get(i);
            Row carrier = got.get(i);
            total += b.transactions().size();
            assertThat(carrier.getField(p.columns().indexOf("block_time")))
                    .isEqualTo(b.blockTime());
            assertThat(p.eventTimeMillis(carrier)).isEqualTo(b.blockTime() * 1000);
            assertThat(carrier.getField(p.columns().indexOf("slot"))).isEqualTo(b.slot());
            assertThat(carrier.getField(p.columns().indexOf("index"))).isEqualTo(0);
            assertThat(carrier.getField(p.columns().indexOf("is_vote")))
                    .isEqualTo(b.transactions().get(0).isVote());
            assertThat(carrier.getField(p.columns().indexOf("fee"))).isNull();
            assertThat(carrier.getField(p.columns().indexOf("success"))).isNull();
        }
        assertThat(rows.dropped()).isEqualTo(total - expected.size());
    }

    @Test
    void aConditionThatThrowsKeepsTheRow() throws Exception {
        Projection p =
                Projection.of(SolanaTable.TRANSACTIONS, COLUMNS)
                        .withFilter(
                                new SourceFilter(
                                        "1 / 0 == 1",
                                        Set.of(),
                                        r -> {
                                            throw new ArithmeticException("/ by zero");
                                        }));
        FilteredRows rows = new FilteredRows(p);
        assertThat(text(read(car, p, rows)))
                .isEqualTo(text(expectedRows(Projection.of(SolanaTable.TRANSACTIONS, COLUMNS))));
        assertThat(rows.dropped()).isZero();
    }

    /** The getBlock path: a fully decoded block filtered by {@link FilteredRows#rows}. */
    @Test
    void fullyDecodedBlocksAreFilteredTheSameWayWithTheirRowsOrigins() {
        Projection p = nonVotes();
        FilteredRows rows = new FilteredRows(p);
        int vote = p.columns().indexOf("is_vote");
        int index = p.columns().indexOf("index");
        for (SolanaBlock b : expected) {
            List<Row> got = rows.rows(b);
            List<Row> all = SolanaRows.rows(b, Projection.of(SolanaTable.TRANSACTIONS, COLUMNS));
            assertThat(text(got))
                    .isEqualTo(
                            text(all.stream().filter(r -> !(Boolean) r.getField(vote)).toList()));
            assertThat(rows.lastTransactions()).isEqualTo(b.transactions().size());
            int[] origins = rows.origins();
            for (int i = 0; i < got.size(); i++) {
                assertThat(origins[i]).isEqualTo(got.get(i).getField(index));
            }
        }
    }

    @Test
    void onlyMetadataFreeProjectedTransactionColumnsCanBeFiltered() {
        Projection p = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS);
        assertThatThrownBy(
                        () -> p.withFilter(new SourceFilter("fee > 0", Set.of("fee"), r -> true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "it reads fee, which is not a metadata-free column of transactions");
        assertThatThrownBy(
                        () ->
                                p.withFilter(
                                        new SourceFilter(
                                                "fee_payer != ''", Set.of("fee_payer"), r -> true)))
                .hasMessageContaining("it reads fee_payer, which is not projected");
        assertThatThrownBy(
                        () ->
                                Projection.all(SolanaTable.INSTRUCTIONS)
                                        .withFilter(new SourceFilter("false", Set.of(), r -> true)))
                .hasMessageContaining("only into one of transactions");
        assertThat(p.withFilter(null).filter()).isNull();
    }
}
