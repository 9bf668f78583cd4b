package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.lakes.OldFaithfulCar;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveRange;
import io.ipdm.connectors.solana.archive.BlockReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.block.SolanaTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Old Faithful decoder (nodes read in place, metadata decoded straight into the model) against
 * the getBlock decoder on the same blocks: an archive converted from the six real blocks and a
 * seeded generated one; every column of every table, read whole and read alone (the column as the
 * only projected one, so only what it needs is decoded).
 */
class FaithfulDecodeDifferentialTest {
    @TempDir static Path dir;
    static Path realCar;
    static Path genCar;
    static List<SolanaBlock> realExpected = new ArrayList<>();
    static List<SolanaBlock> genExpected = new ArrayList<>();

    @BeforeAll
    static void archives() throws Exception {
        List<Path> files = GetBlockArchiveTest.realBlocks();
        realCar = dir.resolve("real.car");
        GetBlockArchive.convert(files, realCar);
        for (Path f : files) {
            realExpected.add(GetBlockDecoder.decodeFile(f));
        }
        realExpected.sort(Comparator.comparingLong(SolanaBlock::slot));

        // generated: the same templates at new slots; the getBlock decoder's block with the
        // planned slot, parent, hash, time and height is what each generated block must be
        List<GetBlockArchive.ArchiveBlock> templates = ArchiveGenerator.templates(files);
        List<SolanaBlock> decodedTemplates = new ArrayList<>();
        for (Path f : files) {
            decodedTemplates.add(GetBlockDecoder.decodeFile(f));
        }
        List<ArchiveGenerator.Planned> plan =
                ArchiveGenerator.plan(templates, 7, 300_000_000L, 12_000);
        genCar = dir.resolve("gen.car");
        ArchiveGenerator.write(templates, plan, genCar);
        String previous = FaithfulNodes.ZERO_HASH;
        for (ArchiveGenerator.Planned p : plan) {
            SolanaBlock t = decodedTemplates.get(p.template());
            genExpected.add(
                    new SolanaBlock(
                            t.source(),
                            true,
                            p.slot(),
                            p.parentSlot(),
                            p.blockhash(),
                            previous,
                            p.blockTime(),
                            p.height(),
                            t.transactions(),
                            t.leader(),
                            t.leaderReward()));
            previous = p.blockhash();
        }
        assertThat(genExpected.size()).isGreaterThan(10);
    }

    /** Every block of {@code car}, read by the source's block reader over 4-block splits. */
    static List<SolanaBlock> read(Path car, FaithfulNeeds needs) throws Exception {
        ArchiveOptions o =
                ArchiveOptions.of(List.of(car.toString()))
                        .with(
                                dir.resolve("idx").toString(),
                                4,
                                3,
                                java.time.Duration.ofMillis(1),
                                java.time.Duration.ofSeconds(5),
                                ArchiveOptions.Prefetch.OFF,
                                1 << 16);
        List<ArchiveSplit> splits = new ArrayList<>(ArchiveDiscovery.discover(o).splits());
        splits.sort(Comparator.comparingLong(ArchiveSplit::firstSlot));
        List<SolanaBlock> out = new ArrayList<>();
        try (ArchiveRange range = ArchiveRange.open(car.toString(), o)) {
            for (ArchiveSplit split : splits) {
                ArchiveSplit s = split;
                try (BlockReader r = BlockReader.car(range, o, s, needs)) {
                    for (SolanaBlock b = r.next(s); b != null; b = r.next(s)) {
                        out.add(b);
                        s = s.advance(r.position(), b.slot(), b.blockhash());
                    }
                }
            }
        }
        return out;
    }

    private static List<Row> rows(List<SolanaBlock> blocks, SolanaTable table) {
        List<Row> out = new ArrayList<>();
        for (SolanaBlock b : blocks) {
            out.addAll(SolanaRows.rows(b, table));
        }
        return out;
    }

    /** {@code got} equals {@code want} in the given columns (all when null). */
    private static void assertSame(
            List<Row> want, List<Row> got, SolanaTable table, List<String> columns, String what) {
        assertThat(got).as(what).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            for (String c : columns) {
                int k = table.indexOf(c);
                assertThat(String.valueOf(deep(got.get(i).getField(k))))
                        .as("%s: %s row %d column %s", what, table.tableName(), i, c)
                        .isEqualTo(String.valueOf(deep(want.get(i).getField(k))));
            }
        }
    }

    private static Object deep(Object v) {
        return v instanceof Object[] a ? java.util.Arrays.deepToString(a) : v;
    }

    private static void compare(Path car, List<SolanaBlock> expected, boolean realArchive)
            throws Exception {
        List<SolanaBlock> all = read(car, FaithfulNeeds.ALL);
        assertThat(all).hasSize(expected.size());
        for (SolanaTable table : SolanaTable.values()) {
            List<String> columns = table.fieldNames();
            List<Row> want = rows(expected, table);
            if (realArchive && table == SolanaTable.BLOCKS) {
                // the real blocks' parents are not in the archive: all-zero previous hash
                int prev = table.indexOf("previous_blockhash");
                rows(all, table)
                        .forEach(
                                r ->
                                        assertThat(r.getField(prev))
                                                .isEqualTo(FaithfulNodes.ZERO_HASH));
                columns = new ArrayList<>(columns);
                columns.remove("previous_blockhash");
            }
            assertSame(want, rows(all, table), table, columns, "every column");
            if (table == SolanaTable.BLOCKS) {
                assertThat(rows(all, table))
                        .allSatisfy(
                                r -> assertThat(r.getField(table.indexOf("leader"))).isNotNull());
            }
            for (String c : columns) {
                // as the source reads: decoded for the projection, only its columns computed
                Projection p = Projection.of(table, List.of(c));
                List<SolanaBlock> alone = read(car, FaithfulNeeds.of(p));
                List<Row> got = new ArrayList<>();
                for (SolanaBlock b : alone) {
                    got.addAll(SolanaRows.rows(b, p));
                }
                int at = p.columns().indexOf(c);
                int k = table.indexOf(c);
                assertThat(got).as("only %s read", c).hasSize(want.size());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(String.valueOf(deep(got.get(i).getField(at))))
                            .as("only %s read: %s row %d", c, table.tableName(), i)
                            .isEqualTo(String.valueOf(deep(want.get(i).getField(k))));
                }
            }
        }
    }

    @Test
    void sixRealBlocksGiveTheGetBlockRowsWithAndWithoutProjection() throws Exception {
        compare(realCar, realExpected, true);
    }

    @Test
    void seededGeneratedArchiveGivesTheGetBlockRowsWithAndWithoutProjection() throws Exception {
        compare(genCar, genExpected, false);
    }

    /**
     * The job's columns read the status alone of the metadata: it comes from the first byte each
     * frame inflates to (the rest never inflated: a failed transaction's error is the placeholder),
     * and equals the status the getBlock decoder gives, failed transactions included.
     */
    @Test
    void statusAloneIsReadFromTheFirstByteOfTheMetadata() throws Exception {
        List<String> job = List.of("block_time", "is_vote", "program_ids", "success");
        FaithfulNeeds needs = FaithfulNeeds.of(Projection.of(SolanaTable.TRANSACTIONS, job));
        assertThat(needs.statusOnly()).isTrue();
        assertThat(
                        FaithfulNeeds.of(SolanaTable.TRANSACTIONS, Set.of("success", "fee"))
                                .statusOnly())
                .isFalse();
        for (Path car : List.of(realCar, genCar)) {
            List<SolanaTransaction> want = new ArrayList<>();
            for (SolanaBlock b : car == realCar ? realExpected : genExpected) {
                want.addAll(b.transactions());
            }
            List<SolanaTransaction> got = new ArrayList<>();
            for (SolanaBlock b : read(car, needs)) {
                got.addAll(b.transactions());
            }
            assertThat(got).hasSize(want.size());
            int failed = 0;
            for (int i = 0; i < got.size(); i++) {
                SolanaTransaction g = got.get(i);
                assertThat(g.success()).as("%s tx %d", car, i).isEqualTo(want.get(i).success());
                assertThat(g.fee()).isNull();
                if (Boolean.FALSE.equals(g.success())) {
                    failed++;
                    assertThat(g.error()).isEqualTo(FaithfulBlockDecoder.ERROR_NOT_READ);
                }
            }
            assertThat(failed).as("failed transactions in %s", car).isPositive();
        }
    }

    /**
     * Keys loaded from address tables are left undecoded when no read column needs them. The real
     * archive has instructions that use such keys, so a column reading one would fail the
     * single-column comparisons above; and reading one throws rather than giving a wrong key.
     */
    @Test
    void undecodedLoadedKeysAreNeverReadByAProjectedColumnAndFailLoudlyOtherwise()
            throws Exception {
        Projection p =
                Projection.of(SolanaTable.TRANSACTIONS, List.of("program_ids", "num_accounts"));
        List<SolanaBlock> blocks = read(realCar, FaithfulNeeds.of(p));
        int undecodedUses = 0;
        for (SolanaBlock b : blocks) {
            for (SolanaTransaction tx : b.transactions()) {
                for (Instruction ix : tx.instructions()) {
                    for (int a : ix.accounts()) {
                        try {
                            tx.accountKeys().get(a);
                        } catch (IllegalStateException e) {
                            assertThat(e).hasMessageContaining("was not decoded");
                            undecodedUses++;
                        }
                    }
                }
            }
        }
        assertThat(undecodedUses)
                .as("instruction accounts loaded from address tables")
                .isPositive();
        assertThat(rows(blocks, SolanaTable.TRANSACTIONS))
                .hasSize(rows(realExpected, SolanaTable.TRANSACTIONS).size());
        // the instructions' accounts column reads them: decoded without them, it fails loudly
        assertThatThrownBy(() -> rows(blocks, SolanaTable.INSTRUCTIONS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loaded from an address table and was not decoded");
        // decoded for that column, they are there
        Projection accounts = Projection.of(SolanaTable.INSTRUCTIONS, List.of("accounts"));
        List<Row> got = new ArrayList<>();
        for (SolanaBlock b : read(realCar, FaithfulNeeds.of(accounts))) {
            got.addAll(SolanaRows.rows(b, accounts));
        }
        assertThat(got).hasSize(rows(realExpected, SolanaTable.INSTRUCTIONS).size());
    }

    @Test
    void epochZeroStyleReaderGivesTheSameBlocks() throws Exception {
        List<SolanaBlock> viaCar = new ArrayList<>();
        try (var in = Files.newInputStream(realCar)) {
            OldFaithfulCar.blocks(in, realCar.toString(), viaCar::add);
        }
        assertSame(
                rows(realExpected, SolanaTable.TRANSACTIONS),
                rows(viaCar, SolanaTable.TRANSACTIONS),
                SolanaTable.TRANSACTIONS,
                SolanaTable.TRANSACTIONS.fieldNames(),
                "OldFaithfulCar");
    }

    /**
     * Metadata that is not even zstd: a projection of transaction columns that need no metadata
     * reads the whole archive (the frames are never inflated), one that reads the fee fails naming
     * the archive, slot, transaction and what is wrong.
     */
    @Test
    void metadataIsNotInflatedWhenNoColumnNeedsIt() throws Exception {
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(GetBlockArchiveTest.realBlocks());
        Path car = dir.resolve("garbage-meta.car");
        long txs = 0;
        try (FaithfulCarWriter w = new FaithfulCarWriter(car)) {
            long slot = 500;
            for (GetBlockArchive.ArchiveBlock b : templates) {
                List<FaithfulCarWriter.Tx> bad = new ArrayList<>();
                for (FaithfulCarWriter.Tx t : b.txs()) {
                    bad.add(new FaithfulCarWriter.Tx(t.wire(), new byte[] {9, 9, 9, 9, 9, 9}));
                }
                w.add(slot, slot - 1, b.blockhash(), b.blockTime(), 1L, bad, new byte[0]);
                slot++;
                txs += bad.size();
            }
            w.finish();
        }
        Set<String> noMeta = Projection.metadataFreeTransactionColumns();
        List<SolanaBlock> got = read(car, FaithfulNeeds.of(SolanaTable.TRANSACTIONS, noMeta));
        List<Row> rows = rows(got, SolanaTable.TRANSACTIONS);
        assertThat(rows).hasSize((int) txs);
        List<Row> want = new ArrayList<>();
        for (SolanaBlock b : realExpected) {
            want.addAll(SolanaRows.rows(b, SolanaTable.TRANSACTIONS));
        }
        // same transactions in template order (the blocks are the templates in file order)
        List<SolanaBlock> templateOrder = new ArrayList<>();
        for (Path f : GetBlockArchiveTest.realBlocks()) {
            templateOrder.add(GetBlockDecoder.decodeFile(f));
        }
        List<Row> wantInOrder = rows(templateOrder, SolanaTable.TRANSACTIONS);
        for (String c :
                List.of("signature", "fee_payer", "program_ids", "num_accounts", "version")) {
            int k = SolanaTable.TRANSACTIONS.indexOf(c);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(String.valueOf(deep(rows.get(i).getField(k))))
                        .as("row %d %s", i, c)
                        .isEqualTo(String.valueOf(deep(wantInOrder.get(i).getField(k))));
            }
        }
        assertThatThrownBy(
                        () -> read(car, FaithfulNeeds.of(SolanaTable.TRANSACTIONS, Set.of("fee"))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageMatching(
                        ".*garbage-meta\\.car: slot 500, transaction 0 \\(Transaction node at offset"
                                + " [0-9]+\\): transaction metadata is not valid zstd \\(.*");
    }
}
