package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ipdm.connectors.lakes.faithful.FaithfulNeeds;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.lakes.faithful.GetBlockArchiveTest;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumerator;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumeratorState;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumeratorStateSerializer;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveReaderDone;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.archive.split.ArchiveSplitSerializer;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.SerializerReference;
import io.ipdm.connectors.solana.testutils.TestEnumeratorContext;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old-faithful source's parts over an archive converted from the six real blocks: the slot
 * index, split discovery, a reader restored mid-way (no loss, no repeat), and bad input: a
 * truncated archive, a corrupt section, an index that lies, HTTP range failures.
 */
class ArchiveSourceTest {
    @TempDir static Path dir;
    static Path car;
    static List<Row> allRows;

    @BeforeAll
    static void convert() throws Exception {
        car = dir.resolve("real.car");
        GetBlockArchive.convert(GetBlockArchiveTest.realBlocks(), car);
        allRows = readAll(ArchiveOptions.of(List.of(car.toString())));
        assertThat(allRows).hasSize(2264);
    }

    static ArchiveOptions options(String location, int splitBlocks) {
        return ArchiveOptions.of(List.of(location))
                .with(
                        dir.resolve("idx-" + splitBlocks).toString(),
                        splitBlocks,
                        3,
                        java.time.Duration.ofMillis(1),
                        java.time.Duration.ofSeconds(5),
                        ArchiveOptions.Prefetch.AUTO,
                        4096);
    }

    static List<Row> readAll(ArchiveOptions o) throws Exception {
        ArchiveReader r = new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        r.addSplits(ArchiveDiscovery.discover(o).splits());
        r.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        while (r.pollNext(out) != InputStatus.END_OF_INPUT) {}
        r.close();
        return out.rows;
    }

    @Test
    void indexHasEveryBlockAndIsCachedNextToTheArchive() throws Exception {
        ArchiveOptions o = ArchiveOptions.of(List.of(car.toString()));
        try (ArchiveRange range = ArchiveRange.open(car.toString(), o)) {
            SlotIndex index = SlotIndex.load(range, o);
            assertThat(index.entries())
                    .extracting(SlotIndex.Entry::slot)
                    .containsExactly(
                            254170887L, 270893658L, 314167369L, 326027759L, 380876342L, 443787702L);
            assertThat(index.file()).isEqualTo(car + ".slots");
            assertThat(SlotIndex.read(Path.of(index.file()), car.toString()).entries())
                    .isEqualTo(index.entries());
        }
    }

    @Test
    void anIndexOlderThanItsArchiveIsBuiltAgain() throws Exception {
        Path copy = dir.resolve("rewritten.car");
        Files.copy(car, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ArchiveOptions o = ArchiveOptions.of(List.of(copy.toString()));
        Path slots = Path.of(copy + ".slots");
        try (ArchiveRange range = ArchiveRange.open(copy.toString(), o)) {
            SlotIndex.load(range, o);
            // the archive rewritten (same size) after its index was saved
            java.nio.file.attribute.FileTime before =
                    java.nio.file.attribute.FileTime.fromMillis(
                            Files.getLastModifiedTime(copy).toMillis() - 60_000);
            Files.setLastModifiedTime(slots, before);
            SlotIndex again = SlotIndex.load(range, o);
            assertThat(again.entries()).hasSize(6);
            assertThat(Files.getLastModifiedTime(slots)).isGreaterThan(before);
            assertThat(SlotIndex.read(slots, copy.toString()).entries()).isEqualTo(again.entries());
        }
    }

    @Test
    void aReaderSaysItIsDoneOnceAtItsEndOfInput() throws Exception {
        ArchiveOptions o = options(car.toString(), 4);
        TestReaderContext ctx = new TestReaderContext();
        ArchiveReader r = new ArchiveReader(ctx, SolanaTable.TRANSACTIONS, o);
        r.addSplits(ArchiveDiscovery.discover(o).splits());
        r.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        while (r.pollNext(out) != InputStatus.END_OF_INPUT) {
            assertThat(ctx.events).isEmpty();
        }
        assertThat(r.pollNext(out)).isEqualTo(InputStatus.END_OF_INPUT);
        assertThat(ctx.events).containsExactly(new ArchiveReaderDone());
        r.close();
    }

    /**
     * Reader 0 finished the archive, then its task was restarted from a checkpoint taken before
     * (Flink's HybridSource still counts it finished): reader 1 is told there are no more splits
     * only once reader 0 is done again, so the switch to live cannot close reader 0's archive
     * splits unread.
     */
    @Test
    void aReaderRestartedAfterItFinishedHoldsTheOthersEnd() {
        TestEnumeratorContext<ArchiveSplit> ctx = new TestEnumeratorContext<>(2);
        ArchiveEnumerator e =
                new ArchiveEnumerator(
                        ctx,
                        options(car.toString(), 4),
                        new ArchiveEnumeratorState(true, 443787702L, List.of()));
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost");
        assertThat(ctx.noMoreSplits).containsExactly(0);
        e.handleSourceEvent(0, new ArchiveReaderDone());
        e.addReader(0); // restarted, with archive splits from its checkpoint
        e.handleSplitRequest(1, "localhost");
        assertThat(ctx.noMoreSplits).as("reader 1 held").containsExactly(0);
        e.handleSplitRequest(0, "localhost");
        e.handleSourceEvent(0, new ArchiveReaderDone());
        assertThat(ctx.noMoreSplits).containsExactlyInAnyOrder(0, 1);

        // a reader restarted before it finished holds nothing
        TestEnumeratorContext<ArchiveSplit> ctx2 = new TestEnumeratorContext<>(2);
        ArchiveEnumerator e2 =
                new ArchiveEnumerator(
                        ctx2,
                        options(car.toString(), 4),
                        new ArchiveEnumeratorState(true, 443787702L, List.of()));
        e2.addReader(0);
        e2.addReader(1);
        e2.addReader(0);
        e2.handleSplitRequest(1, "localhost");
        assertThat(ctx2.noMoreSplits).containsExactly(1);
    }

    @Test
    void splitsCoverTheArchiveAndTheLastSlotIsKnown() throws Exception {
        ArchiveDiscovery.Result r = ArchiveDiscovery.discover(options(car.toString(), 4));
        assertThat(r.splits()).hasSize(2);
        assertThat(r.lastSlot()).isEqualTo(443787702L);
        assertThat(r.splits().get(1).previousSlot()).isEqualTo(r.splits().get(0).lastSlot());
        assertThat(readAll(options(car.toString(), 1)))
                .usingRecursiveComparison()
                .isEqualTo(allRows);
    }

    @Test
    void restoredReaderResumesWithoutLossOrRepeat() throws Exception {
        ArchiveOptions o = options(car.toString(), 2);
        ArchiveReader first =
                new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        first.addSplits(ArchiveDiscovery.discover(o).splits());
        CollectingOutput out = new CollectingOutput();
        for (int i = 0; i < 3; i++) { // three blocks, the second split half read
            first.pollNext(out);
        }
        List<ArchiveSplit> state = new ArrayList<>();
        for (ArchiveSplit s : first.snapshotState(1)) {
            // through the serializer, as a checkpoint would
            state.add(
                    ArchiveSplitSerializer.INSTANCE.deserialize(
                            1, ArchiveSplitSerializer.INSTANCE.serialize(s)));
        }
        first.close();
        assertThat(state.get(0).done()).isEqualTo(1);
        ArchiveReader second =
                new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        second.addSplits(state);
        second.notifyNoMoreSplits();
        while (second.pollNext(out) != InputStatus.END_OF_INPUT) {}
        assertThat(out.rows).usingRecursiveComparison().isEqualTo(allRows);
    }

    @Test
    void rootCidInALakeGivesTheSameRows() throws Exception {
        Path lake = dir.resolve("lake");
        io.ipdm.multiformats.Cid root;
        try (io.ipdm.lakes.store.TieredStore store =
                        io.ipdm.lakes.store.TieredStore.open(lake, 1 << 20, 1 << 30);
                java.io.InputStream in = Files.newInputStream(car);
                io.ipdm.lakes.car.CarReader r = io.ipdm.lakes.car.CarReader.open(in)) {
            root = r.header().roots().get(0);
            List<io.ipdm.lakes.Block> blocks = new ArrayList<>();
            for (var sec = r.next(); sec != null; sec = r.next()) {
                blocks.add(sec.block());
            }
            store.putAll(blocks);
        }
        ArchiveOptions o =
                ArchiveOptions.of(List.of("-"))
                        .withLake(root.toString(), lake.toString(), List.of())
                        .with(
                                null,
                                4,
                                3,
                                java.time.Duration.ofMillis(1),
                                java.time.Duration.ofSeconds(5),
                                ArchiveOptions.Prefetch.AUTO,
                                4096);
        ArchiveDiscovery.Result d = ArchiveDiscovery.discover(o);
        assertThat(d.splits()).extracting(ArchiveSplit::kind).containsOnly(ArchiveSplit.DAG);
        assertThat(d.splits()).hasSize(2);
        assertThat(d.lastSlot()).isEqualTo(443787702L);
        assertThat(readAll(o)).usingRecursiveComparison().isEqualTo(allRows);
        // a CID the lake does not hold is named with what to do
        ArchiveOptions missing =
                ArchiveOptions.of(List.of("-"))
                        .withLake(
                                "bafyreia7j4o364whssrt36odmq3tgryjcjfyjy7ab73akykjppk2f2qnhi",
                                lake.toString(),
                                List.of());
        assertThatThrownBy(() -> ArchiveDiscovery.discover(missing))
                .hasMessageContaining(
                        "bafyreia7j4o364whssrt36odmq3tgryjcjfyjy7ab73akykjppk2f2qnhi is not in the"
                                + " lake (import the archive with ipdm lake import-car");
    }

    @Test
    void truncatedArchiveIsReportedWithItsOffset() throws Exception {
        Path cut = dir.resolve("truncated.car");
        byte[] bytes = Files.readAllBytes(car);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> readAll(ArchiveOptions.of(List.of(cut.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(cut + ": at offset ")
                .hasMessageContaining("(building the slot index)")
                .hasMessageContaining("runs past " + (Files.size(car) / 2))
                .hasMessageContaining("the archive is truncated")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void corruptSectionFailsItsCidCheck() throws Exception {
        Path bad = dir.resolve("corrupt.car");
        Files.copy(car, bad);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            f.seek(f.length() / 3);
            int b = f.read();
            f.seek(f.length() / 3);
            f.write(b ^ 0x40);
        }
        assertThatThrownBy(() -> readAll(ArchiveOptions.of(List.of(bad.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(bad + ": at offset ")
                .hasMessageContaining("does not match its CID (corrupt archive)")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anIndexThatLiesIsCaughtNamingIt() throws Exception {
        Path lying = dir.resolve("lying.car");
        Files.copy(car, lying);
        ArchiveOptions o = ArchiveOptions.of(List.of(lying.toString()));
        SlotIndex index;
        try (ArchiveRange range = ArchiveRange.open(lying.toString(), o)) {
            index = SlotIndex.load(range, o);
        }
        List<SlotIndex.Entry> e = new ArrayList<>(index.entries());
        // the index says slot 270893658's block ends where 254170887's does
        SlotIndex.Entry second = e.get(1);
        e.set(
                1,
                new SlotIndex.Entry(
                        second.slot(),
                        second.start(),
                        e.get(2).end(),
                        second.parentSlot(),
                        second.blockhash()));
        e.remove(2);
        Files.write(
                Path.of(index.file()),
                new SlotIndex(index.archive(), index.file(), Files.size(lying), e).encode());
        assertThatThrownBy(() -> readAll(o))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(
                        "the slot index " + lying + ".slots does not match the archive")
                .hasMessageContaining("delete it to rebuild it");
    }

    @Test
    void httpRangeFailuresAreRetriedThenReportedNamingUrlOffsetAndSlots() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    requests.incrementAndGet();
                    ex.sendResponseHeaders(503, -1);
                    ex.close();
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/epoch.car";
            ArchiveOptions o = options(url, 10);
            ArchiveSplit split =
                    new ArchiveSplit(ArchiveSplit.CAR, url, "", 100, 5000, 7, 9, 6, "x", 3, 0);
            try (ArchiveRange range = ArchiveRange.open(url, o);
                    BlockReader blocks = BlockReader.car(range, o, split, FaithfulNeeds.ALL)) {
                assertThatThrownBy(() -> blocks.next(split))
                        .isInstanceOf(ArchiveException.class)
                        .hasMessage(
                                url
                                        + ": reading bytes 100-4195 (slots 7-9) failed after 3"
                                        + " attempts: HTTP 503; check the URL and the server, or"
                                        + " raise max_attempts");
            }
            assertThat(requests.get()).isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    /** The file's bytes, as a remote archive (read-ahead on with prefetch: auto). */
    private static ArchiveRange remote(ArchiveRange file) {
        return new ArchiveRange() {
            @Override
            public String name() {
                return file.name();
            }

            @Override
            public long size() throws java.io.IOException {
                return file.size();
            }

            @Override
            public byte[] read(long offset, int len, String context) throws java.io.IOException {
                return file.read(offset, len, context);
            }

            @Override
            public boolean remote() {
                return true;
            }
        };
    }

    @Test
    void readAheadIsOnWhileRangeReadsAreSlowAndOffWhileTheyAreFast() throws Exception {
        // a clock that moves `step` per reading: every read measures at least one step
        for (long stepMs : new long[] {1, 50}) {
            java.util.concurrent.atomic.AtomicLong now =
                    new java.util.concurrent.atomic.AtomicLong();
            long step = stepMs * 1_000_000;
            ArchiveOptions o =
                    new ArchiveOptions(
                            List.of(car.toString()),
                            null,
                            null,
                            List.of(),
                            null,
                            100,
                            3,
                            java.time.Duration.ofMillis(1),
                            java.time.Duration.ofSeconds(1),
                            java.time.Duration.ofSeconds(5),
                            ArchiveOptions.Prefetch.AUTO,
                            java.time.Duration.ofMillis(10),
                            16384,
                            32 << 20,
                            List.of());
            try (ArchiveRange file = ArchiveRange.open(car.toString(), o);
                    ArchiveRange range = remote(file);
                    SectionStream s =
                            new SectionStream(
                                    range,
                                    o,
                                    SlotIndex.firstSection(range),
                                    range.size(),
                                    () -> now.addAndGet(step))) {
                int n = 0;
                while (s.next() != null) {
                    n++;
                }
                assertThat(n).isGreaterThan(2264);
                assertThat(s.readingAhead()).as("reads of %d ms", stepMs).isEqualTo(stepMs > 10);
            }
        }
    }

    @Test
    void aServerThatIgnoresRangesIsReadInOrder() throws Exception {
        // answers every request, Range or not, with 200 and the whole archive
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    byte[] body = Files.readAllBytes(car);
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/epoch.car";
            ArchiveDiscovery.Result r = ArchiveDiscovery.discover(options(url, 2));
            assertThat(r.splits()).hasSize(1);
            assertThat(r.notices()).singleElement().asString().contains("no range reads");
            assertThat(readAll(options(url, 2))).usingRecursiveComparison().isEqualTo(allRows);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void splitsReturnedByTwoReadersGoBackToTheirPlaceInTheOrder() throws Exception {
        ArchiveOptions o = options(car.toString(), 1);
        List<ArchiveSplit> order = ArchiveDiscovery.discover(o).splits();
        assertThat(order).hasSize(6);
        // restored from a checkpoint where all six were pending, then four handed out
        TestEnumeratorContext<ArchiveSplit> ctx = new TestEnumeratorContext<>(2);
        ArchiveEnumerator e =
                new ArchiveEnumerator(
                        ctx, o, new ArchiveEnumeratorState(true, order.get(5).lastSlot(), order));
        e.handleSplitRequest(0, null);
        e.handleSplitRequest(1, null);
        e.handleSplitRequest(0, null);
        e.handleSplitRequest(1, null);
        // a failover returns each reader's splits, the higher ones first
        e.addSplitsBack(ctx.assigned.get(1), 1);
        e.addSplitsBack(ctx.assigned.get(0), 0);
        assertThat(e.snapshotState(2).pending()).isEqualTo(order);
    }

    @Test
    void archivesThatShareASlotAreRefusedNamingBoth() throws Exception {
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        ArchiveOptions.of(List.of(car.toString(), car.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessage(
                        car
                                + " is given twice (slot 254170887 would be read twice); give each"
                                + " archive once, and archives of one chain whose slot ranges do"
                                + " not overlap");
        Path copy = dir.resolve("copy.car");
        Files.copy(car, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        ArchiveOptions.of(
                                                List.of(car.toString(), copy.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessage(
                        copy
                                + " and "
                                + car
                                + " both hold slot 254170887; give each archive once, and"
                                + " archives of one chain whose slot ranges do not overlap");
    }

    @Test
    void serializersRestoreFromReferenceBytes() throws Exception {
        ArchiveSplit split =
                new ArchiveSplit(
                        ArchiveSplit.CAR,
                        "/data/epoch-800.car",
                        "/data/epoch-800.car.slots",
                        59,
                        96932,
                        345600000,
                        345600999,
                        345599999,
                        "AoUrZMMWTMqyZKq7PYrYBdsjNfYs9er3RB42KAvKTkxm",
                        1000,
                        12);
        byte[] ref = SerializerReference.load("archive-split-v1");
        assertThat(ArchiveSplitSerializer.INSTANCE.deserialize(1, ref)).isEqualTo(split);
        assertThat(ArchiveSplitSerializer.INSTANCE.serialize(split)).isEqualTo(ref);
        ArchiveEnumeratorState state = new ArchiveEnumeratorState(true, 345600999, List.of(split));
        byte[] stateRef = SerializerReference.load("archive-enumerator-state-v1");
        ArchiveEnumeratorStateSerializer s = new ArchiveEnumeratorStateSerializer();
        assertThat(s.deserialize(1, stateRef)).isEqualTo(state);
        assertThat(s.serialize(state)).isEqualTo(stateRef);
    }
}
