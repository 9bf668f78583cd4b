package io.ipdm.connectors.solana.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SourceFilter;
import io.ipdm.connectors.solana.replay.enumerator.ReplayFileDiscovery;
import io.ipdm.connectors.solana.replay.reader.ReplayReader;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.SharedData;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayReaderTest {

    static List<Row> readAll(ReplayReader reader, CollectingOutput out) throws Exception {
        while (reader.pollNext(out) != InputStatus.END_OF_INPUT) {}
        return out.rows;
    }

    @Test
    void discoversBlockFilesInSlotOrderAndIgnoresOtherJson() {
        List<ReplaySplit> splits =
                ReplayFileDiscovery.discover(
                        List.of(SharedData.solana("photon-getblock-base64").toString()));
        // expected_nonvoting_signatures_270893658.json is a JSON array: ignored.
        assertThat(splits)
                .extracting(ReplaySplit::slot)
                .containsExactlyInAnyOrder(
                        254170887L, 270893658L, 314167369L, 380876342L, 443787702L);
    }

    @Test
    void discoveryReadsEachFilesBlockTimeAndOrdersByIt() {
        List<ReplaySplit> splits =
                new ArrayList<>(
                        ReplayFileDiscovery.discover(
                                List.of(
                                        SharedData.solana("photon-getblock-base64").toString(),
                                        SharedData.solana("nyanbot-getblock-base58").toString())));
        splits.sort(ReplaySplit.REPLAY_ORDER);
        // blockTime as the responses hold it (after the transactions, in RPC field order);
        // the devnet block 270893658 is older than mainnet 254170887
        assertThat(splits)
                .extracting(s -> s.slot() + "@" + s.blockTime())
                .containsExactly(
                        "270893658@1704648198",
                        "254170887@1710441678",
                        "314167369@1721924230",
                        "326027759@1741688033",
                        "380876342@1747252042",
                        "443787702@1771722294");
    }

    @Test
    void filesWithoutBlockTimeComeFirstInSlotOrder(@TempDir Path tmp) throws Exception {
        Files.writeString(
                tmp.resolve("block_30.json"),
                "{\"blockhash\":\"x\",\"parentSlot\":29,\"transactions\":[],"
                        + "\"blockTime\":100}");
        Files.writeString(
                tmp.resolve("b.json"),
                "{\"blockhash\":\"y\",\"parentSlot\":40,\"transactions\":[],"
                        + "\"blockTime\":null}");
        Files.writeString(
                tmp.resolve("a.json"),
                "{\"blockhash\":\"z\",\"parentSlot\":9,\"transactions\":[]}");
        List<ReplaySplit> splits =
                new ArrayList<>(ReplayFileDiscovery.discover(List.of(tmp.toString())));
        splits.sort(ReplaySplit.REPLAY_ORDER);
        assertThat(splits)
                .extracting(s -> Path.of(s.path()).getFileName() + "@" + s.slot())
                .containsExactly("a.json@10", "b.json@41", "block_30.json@30");
        assertThat(splits.get(2).blockTime()).isEqualTo(100);
        assertThat(splits.get(0).blockTime()).isEqualTo(ReplaySplit.NO_BLOCK_TIME);
    }

    @Test
    void truncatedResponseIsStillTakenSoReadingNamesTheParseError(@TempDir Path tmp)
            throws Exception {
        Path cut = tmp.resolve("block_5.json");
        Files.writeString(cut, "{\"blockhash\":\"x\",\"parentSlot\":4,\"transactions\":[{\"tr");
        assertThat(ReplayFileDiscovery.discover(List.of(cut.toString())))
                .singleElement()
                .extracting(ReplaySplit::slot)
                .isEqualTo(5L);
    }

    @Test
    void restoresMidFileFromCheckpoint() throws Exception {
        Path file = SharedData.solana("nyanbot-getblock-base58/block_326027759.json");
        ReplaySplit split = new ReplaySplit(file.toString(), 326027759L, 1741688033L, 0);

        ReplayReader full =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL);
        full.addSplits(List.of(split));
        full.notifyNoMoreSplits();
        List<Row> expected = readAll(full, new CollectingOutput());
        assertThat(expected).hasSize(1509);

        ReplayReader first =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL);
        first.addSplits(List.of(split));
        CollectingOutput out1 = new CollectingOutput();
        assertThat(first.pollNext(out1)).isEqualTo(InputStatus.MORE_AVAILABLE);
        List<ReplaySplit> state = first.snapshotState(1);
        assertThat(state).containsExactly(split.withRecordsEmitted(out1.rows.size()));
        assertThat(out1.rows).hasSize(1024);

        ReplayReader second =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL);
        second.addSplits(state);
        second.notifyNoMoreSplits();
        List<Row> rest = readAll(second, new CollectingOutput());
        List<Row> all = new ArrayList<>(out1.rows);
        all.addAll(rest);
        assertThat(all).isEqualTo(expected);
        assertThat(out1.timestamps.get(0)).isEqualTo(1741688033_000L);
    }

    /**
     * With a pushed-down filter (here: transactions 0-99 dropped), a split's state counts the
     * file's unfiltered rows: a restore, with the filter or without it, resumes at the same
     * transaction.
     */
    @Test
    void restoresMidFileWithAPushedFilterCountingUnfilteredRows() throws Exception {
        Path file = SharedData.solana("nyanbot-getblock-base58/block_326027759.json");
        ReplaySplit split = new ReplaySplit(file.toString(), 326027759L, 1741688033L, 0);
        Projection plain = Projection.all(SolanaTable.TRANSACTIONS);
        int index = SolanaTable.TRANSACTIONS.indexOf("index");
        Projection filtered =
                plain.withFilter(
                        new SourceFilter(
                                "index >= 100",
                                List.of("index"),
                                r -> (Integer) r.getField(index) < 100));
        ReplayReader first =
                new ReplayReader(new TestReaderContext(), filtered, CorruptBlockPolicy.FAIL);
        first.addSplits(List.of(split));
        CollectingOutput out1 = new CollectingOutput();
        assertThat(first.pollNext(out1)).isEqualTo(InputStatus.MORE_AVAILABLE);
        assertThat(out1.rows).hasSize(1024);
        assertThat(out1.rows.get(0).getField(index)).isEqualTo(100);
        List<ReplaySplit> state = first.snapshotState(1);
        assertThat(state).containsExactly(split.withRecordsEmitted(1124));
        for (Projection p : List.of(filtered, plain)) {
            ReplayReader second =
                    new ReplayReader(new TestReaderContext(), p, CorruptBlockPolicy.FAIL);
            second.addSplits(state);
            second.notifyNoMoreSplits();
            List<Row> rest = readAll(second, new CollectingOutput());
            assertThat(rest).hasSize(1509 - 1124);
            assertThat(rest.get(0).getField(index)).isEqualTo(1124);
        }
    }

    @Test
    void readsAssignedSplitsEarliestBlockFirst() throws Exception {
        // a rescale can hand one reader several splits in any order; one watermark per reader
        // means a later block read first would make the earlier one's rows late
        Path dir = SharedData.solana("photon-getblock-base64");
        ReplayReader reader =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL);
        reader.addSplits(
                List.of(
                        new ReplaySplit(
                                dir.resolve("block_314167369.json").toString(),
                                314167369L,
                                1721924230L,
                                0),
                        new ReplaySplit(
                                dir.resolve("block_254170887.json").toString(),
                                254170887L,
                                1710441678L,
                                0),
                        // devnet: a higher slot than the mainnet block above, two months older
                        new ReplaySplit(
                                dir.resolve("block_270893658.json").toString(),
                                270893658L,
                                1704648198L,
                                0)));
        reader.notifyNoMoreSplits();
        int slot = SolanaTable.TRANSACTIONS.indexOf("slot");
        int blockTime = SolanaTable.TRANSACTIONS.indexOf("block_time");
        List<Row> rows = readAll(reader, new CollectingOutput());
        assertThat(rows)
                .extracting(r -> (Long) r.getField(blockTime))
                .isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(rows)
                .extracting(r -> (Long) r.getField(slot))
                .containsSubsequence(270893658L, 254170887L, 314167369L);
    }

    @Test
    void corruptBlockFailsOrIsSkipped() throws Exception {
        Path bad =
                SharedData.solana(
                        "chainstorage-getblock-json/client-block_transaction_no_signatures.json");
        Path good = SharedData.solana("chainstorage-getblock-json/parser-block.json");
        List<ReplaySplit> splits =
                List.of(
                        new ReplaySplit(bad.toString(), 1, ReplaySplit.NO_BLOCK_TIME, 0),
                        new ReplaySplit(good.toString(), 2, ReplaySplit.NO_BLOCK_TIME, 0));

        ReplayReader failing =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.FAIL);
        failing.addSplits(splits);
        assertThatThrownBy(() -> failing.pollNext(new CollectingOutput()))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessage(bad + ": slot 100000000, transaction 0: transaction has no signatures");

        ReplayReader skipping =
                new ReplayReader(
                        new TestReaderContext(),
                        Projection.all(SolanaTable.TRANSACTIONS),
                        CorruptBlockPolicy.SKIP);
        skipping.addSplits(splits);
        skipping.notifyNoMoreSplits();
        assertThat(readAll(skipping, new CollectingOutput())).hasSize(4);
    }

    @Test
    void asksForSplitsAndEndsWhenThereAreNoMore() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        ReplayReader reader =
                new ReplayReader(ctx, Projection.all(SolanaTable.BLOCKS), CorruptBlockPolicy.FAIL);
        reader.start();
        assertThat(ctx.splitRequests).isEqualTo(1);
        assertThat(reader.pollNext(new CollectingOutput()))
                .isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(reader.isAvailable()).isNotDone();
        reader.notifyNoMoreSplits();
        assertThat(reader.isAvailable()).isDone();
        assertThat(reader.pollNext(new CollectingOutput())).isEqualTo(InputStatus.END_OF_INPUT);
    }
}
