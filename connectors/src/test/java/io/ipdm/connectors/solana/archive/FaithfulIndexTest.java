package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.lakes.faithful.GetBlockArchiveTest;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old Faithful's own indexes (compactindexsized {@code slot-to-cid} and {@code
 * cid-to-offset-and-size}), written here in that format from a scan of a generated one-epoch
 * archive and read back by the old-faithful source: the same splits and rows as the scan-built slot
 * index; and indexes that lie (a wrong offset, a wrong CID), half a pair, and a file that is no
 * index, each reported naming the index, the archive, the slot and the offset and what to do.
 */
class FaithfulIndexTest {
    static final long EPOCH = 671; // slots 289,872,000 - 290,303,999
    @TempDir static Path dir;
    static Path car;

    static List<FaithfulIndex.Located> sections;

    @BeforeAll
    static void generate() throws Exception {
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(GetBlockArchiveTest.realBlocks().subList(0, 3));
        car = dir.resolve("epoch-671.car");
        ArchiveGenerator.generate(templates, car, 3, 290_000_000L, 30_000);
        sections = FaithfulIndex.sections(car);
        assertThat(sections.stream().filter(s -> s.slot() >= 0).count()).isGreaterThan(10);
    }

    static Map<String, byte[]> metadata(String kind) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("epoch", le(EPOCH, 8));
        m.put("kind", kind.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    /**
     * Writes the pair of indexes of the archive; {@code offsets} may rewrite where sections are
     * said to be, {@code slots} which CID a slot is said to have.
     */
    static List<String> writeIndexes(
            String name,
            java.util.function.UnaryOperator<FaithfulIndex.Located> offsets,
            java.util.function.Consumer<Map<Long, Cid>> slots)
            throws IOException {
        return FaithfulIndex.write(
                        sections,
                        EPOCH,
                        "mainnet",
                        dir.resolve(name + "-slot-to-cid.index"),
                        dir.resolve(name + "-cid-to-offset-and-size.index"),
                        offsets,
                        slots)
                .stream()
                .map(Path::toString)
                .toList();
    }

    static List<String> writeIndexes(String name) throws IOException {
        return writeIndexes(name, s -> s, m -> {});
    }

    static List<FaithfulIndex.Located> blocks() {
        return sections.stream().filter(s -> s.slot() >= 0).toList();
    }

    static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static ArchiveOptions options(List<String> indexes) {
        return ArchiveOptions.of(List.of(car.toString()))
                .with(
                        dir.resolve(indexes.isEmpty() ? "scan-index" : "unused").toString(),
                        4,
                        3,
                        java.time.Duration.ofMillis(1),
                        java.time.Duration.ofSeconds(5),
                        ArchiveOptions.Prefetch.AUTO,
                        65536)
                .withFaithfulIndexes(indexes);
    }

    @Test
    void xxHash64MatchesTheSpecificationsVectors() {
        assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0x44BC2CF5AD770999L);
        assertThat(
                        XxHash64.hash(
                                "Nobody inspects the spammish repetition"
                                        .getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void compactIndexRoundTripsAndKeepsItsMetadata() throws Exception {
        List<byte[][]> entries = new ArrayList<>();
        for (long k = 0; k < 25_000; k++) {
            entries.add(new byte[][] {le(k * 7919, 8), le(k, 5)});
        }
        Path f = dir.resolve("numbers.index");
        CompactIndex.write(f, 5, metadata("numbers"), entries);
        try (CompactIndex idx =
                CompactIndex.open(ArchiveRange.open(f.toString(), options(List.of())))) {
            assertThat(idx.kind()).isEqualTo("numbers");
            assertThat(CompactIndex.le(idx.metadata("epoch"), 0, 8)).isEqualTo(EPOCH);
            for (long k = 0; k < 25_000; k += 37) {
                assertThat(CompactIndex.le(idx.lookup(le(k * 7919, 8)), 0, 5)).isEqualTo(k);
            }
        }
    }

    @Test
    void splitsFromOldFaithfulsIndexesEqualTheScanBuiltOnesAndGiveTheSameRows() throws Exception {
        List<String> indexes = writeIndexes("good");
        List<ArchiveSplit> fromIndexes = ArchiveDiscovery.discover(options(indexes)).splits();
        assertThat(dir.resolve("unused")).as("no slot index is built or cached").doesNotExist();
        List<ArchiveSplit> fromScan = ArchiveDiscovery.discover(options(List.of())).splits();
        assertThat(fromIndexes).hasSize(fromScan.size()).hasSizeGreaterThan(2);
        for (int i = 0; i < fromScan.size(); i++) {
            ArchiveSplit a = fromScan.get(i);
            ArchiveSplit b = fromIndexes.get(i);
            assertThat(b.index()).contains("slot-to-cid");
            assertThat(b)
                    .usingRecursiveComparison()
                    .ignoringFields("index")
                    .as("split %d", i)
                    .isEqualTo(a);
        }
        assertThat(ArchiveSourceTest.readAll(options(indexes)))
                .isEqualTo(ArchiveSourceTest.readAll(options(List.of())));
    }

    @Test
    void indexesAndArchiveServedOverHttpGiveTheSameSplits() throws Exception {
        List<String> local = writeIndexes("http");
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    byte[] all =
                            Files.readAllBytes(
                                    dir.resolve(ex.getRequestURI().getPath().substring(1)));
                    String[] r = ex.getRequestHeaders().getFirst("Range").substring(6).split("-");
                    int from = Integer.parseInt(r[0]);
                    int to = (int) Math.min(Long.parseLong(r[1]), all.length - 1);
                    ex.getResponseHeaders()
                            .add("Content-Range", "bytes " + from + "-" + to + "/" + all.length);
                    ex.sendResponseHeaders(206, to - from + 1);
                    try (java.io.OutputStream out = ex.getResponseBody()) {
                        out.write(all, from, to - from + 1);
                    }
                });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            ArchiveOptions overHttp =
                    ArchiveOptions.of(List.of(base + car.getFileName()))
                            .with(
                                    dir.resolve("unused-http").toString(),
                                    4,
                                    3,
                                    java.time.Duration.ofMillis(1),
                                    java.time.Duration.ofSeconds(5),
                                    ArchiveOptions.Prefetch.AUTO,
                                    65536)
                            .withFaithfulIndexes(
                                    local.stream()
                                            .map(f -> base + Path.of(f).getFileName())
                                            .toList());
            List<ArchiveSplit> remote = ArchiveDiscovery.discover(overHttp).splits();
            List<ArchiveSplit> fromFiles = ArchiveDiscovery.discover(options(local)).splits();
            assertThat(remote).hasSize(fromFiles.size());
            for (int i = 0; i < remote.size(); i++) {
                assertThat(remote.get(i))
                        .usingRecursiveComparison()
                        .ignoringFields("index", "location")
                        .isEqualTo(fromFiles.get(i));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anIndexPointingAtAWrongOffsetIsReportedNamingSlotOffsetAndWhatToDo() throws Exception {
        FaithfulIndex.Located victim = blocks().get(3); // ends the first split of 4 blocks
        FaithfulIndex.Located other = blocks().get(1);
        List<String> indexes =
                writeIndexes(
                        "wrong-offset",
                        s ->
                                s.equals(victim)
                                        ? new FaithfulIndex.Located(
                                                s.cid(), other.offset(), other.length(), s.slot())
                                        : s,
                        m -> {});
        assertThatThrownBy(() -> ArchiveDiscovery.discover(options(indexes)))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(indexes.get(0) + " and " + indexes.get(1))
                .hasMessageContaining("place slot " + victim.slot())
                .hasMessageContaining("at offset " + other.offset() + " of " + car)
                .hasMessageContaining("section " + other.cid() + " instead of " + victim.cid())
                .hasMessageContaining("rebuild them, or drop the index option")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anIndexNamingACidTheArchiveLacksIsReported() throws Exception {
        FaithfulIndex.Located victim = blocks().get(3);
        Cid stranger =
                Cid.sha256(
                        io.ipdm.multiformats.Multicodec.DAG_CBOR,
                        "not in the archive".getBytes(StandardCharsets.UTF_8));
        List<String> indexes =
                writeIndexes("stranger", s -> s, m -> m.put(victim.slot(), stranger));
        assertThatThrownBy(() -> ArchiveDiscovery.discover(options(indexes)))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(indexes.get(1) + ": has no offset for " + stranger)
                .hasMessageContaining("the block of slot " + victim.slot())
                .hasMessageContaining("drop the index option to scan " + car);
    }

    @Test
    void anIndexGivingASlotAnotherBlocksCidIsCaughtByTheReader() throws Exception {
        FaithfulIndex.Located victim = blocks().get(2);
        FaithfulIndex.Located other = blocks().get(1);
        List<String> indexes =
                writeIndexes("wrong-cid", s -> s, m -> m.put(victim.slot(), other.cid()));
        // both slots map to one CID, settled by reading that block: the victim's slot is left
        // out, and reading the range that still holds its block says the indexes are wrong
        List<ArchiveSplit> splits = ArchiveDiscovery.discover(options(indexes)).splits();
        assertThat(splits.stream().mapToInt(ArchiveSplit::blocks).sum())
                .isEqualTo(blocks().size() - 1);
        assertThatThrownBy(() -> ArchiveSourceTest.readAll(options(indexes)))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(car.toString())
                .hasMessageContaining("Old Faithful's indexes " + indexes.get(0))
                .hasMessageContaining("do not match the archive: rebuild them, or drop the index");
    }

    @Test
    void halfAPairOrAFileThatIsNoIndexIsReported() throws Exception {
        List<String> indexes = writeIndexes("half");
        assertThatThrownBy(() -> ArchiveDiscovery.discover(options(List.of(indexes.get(0)))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(
                        "needs both of the archive's Old Faithful indexes, slot-to-cid and"
                                + " cid-to-offset-and-size (the cid-to-offset-and-size one is"
                                + " missing)");
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        options(List.of(indexes.get(0), car.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(car + ": not an Old Faithful compact index");
        Path old = dir.resolve("old.index");
        Files.write(old, "rdcecidx\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        options(List.of(old.toString(), indexes.get(1)))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(old + ": an index in Old Faithful's older compactindex")
                .hasMessageContaining("index the archive again with a current faithful-cli");
        Path cut = dir.resolve("cut.index");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(Path.of(indexes.get(1))), 60));
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        options(List.of(indexes.get(0), cut.toString()))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(cut + ": the index is truncated: its header is");
        byte[] slots = Files.readAllBytes(Path.of(indexes.get(0)));
        Files.write(cut, java.util.Arrays.copyOf(slots, slots.length - 10));
        assertThatThrownBy(
                        () ->
                                ArchiveDiscovery.discover(
                                        options(List.of(cut.toString(), indexes.get(1)))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(cut + ": the index is truncated: the entries of bucket 0")
                .hasMessageEndingWith("the file has " + (slots.length - 10) + " bytes");
    }
}
