package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.archive.split.ArchiveSplitSerializer;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.RangeRequests;
import io.ipdm.connectors.solana.testutils.SharedData;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive behind an HTTP server without range reads: a real {@code python3 -m http.server}
 * (which answers {@code Range} with 200 and the whole file) started by the test, and in-test
 * servers that break the stream. Such an archive is read as one split, one stream in order, said
 * once; its rows equal the local file's; a reader restored mid-way resumes in a new stream; a
 * broken or stalled stream is opened again and skipped to where it broke, and one that keeps
 * breaking fails naming the URL, the bytes and the slots. A server with ranges still splits the
 * archive.
 */
class HttpWithoutRangesTest {
    @TempDir static Path dir;
    static Path car;
    static List<Row> fileRows;
    static int blocks;
    static Process python;
    static String pythonBase;

    @BeforeAll
    static void archiveAndServer() throws Exception {
        Path d = SharedData.solana("photon-getblock-base64");
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(
                        List.of(
                                d.resolve("block_270893658.json"),
                                d.resolve("block_314167369.json"),
                                d.resolve("block_380876342.json"),
                                d.resolve("block_443787702.json")));
        Path served = Files.createDirectories(dir.resolve("www"));
        car = served.resolve("epoch.car");
        blocks = ArchiveGenerator.generate(templates, car, 3, 300_000_000L, 3000).blocks();
        fileRows = readAll(options(car.toString(), "file"));
        assertThat(blocks).isGreaterThan(40);
        assertThat(fileRows).hasSizeGreaterThan(3000);
        python = startPython(served);
    }

    /** {@code python3 -m http.server} on a free loopback port, or the test skipped. */
    static Process startPython(Path root) throws IOException {
        Process p;
        try {
            p =
                    new ProcessBuilder(
                                    "python3",
                                    "-u",
                                    "-m",
                                    "http.server",
                                    "0",
                                    "--bind",
                                    "127.0.0.1",
                                    "--directory",
                                    root.toString())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            Assumptions.abort("python3 not found (" + e.getMessage() + "); skipping");
            return null;
        }
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String port = null;
        Pattern serving = Pattern.compile("Serving HTTP on \\S+ port (\\d+)");
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = serving.matcher(line);
            if (m.find()) {
                port = m.group(1);
                break;
            }
        }
        if (port == null) {
            p.destroy();
            Assumptions.abort("python3 -m http.server did not start; skipping");
        }
        pythonBase = "http://127.0.0.1:" + port;
        // drain its request log so it never blocks on a full pipe
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {}
                            } catch (IOException e) {
                                // the server stopped
                            }
                        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    @AfterAll
    static void stopPython() throws InterruptedException {
        if (python != null) {
            python.destroy();
            python.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static ArchiveOptions options(String location, String indexDir) {
        return options(location, indexDir, Duration.ofSeconds(10));
    }

    static ArchiveOptions options(String location, String indexDir, Duration requestTimeout) {
        return ArchiveOptions.of(List.of(location))
                .with(
                        dir.resolve("idx-" + indexDir).toString(),
                        10,
                        3,
                        Duration.ofMillis(1),
                        requestTimeout,
                        ArchiveOptions.Prefetch.AUTO,
                        4096);
    }

    static List<Row> readAll(ArchiveOptions o) throws Exception {
        return read(o, ArchiveDiscovery.discover(o).splits());
    }

    static List<Row> read(ArchiveOptions o, List<ArchiveSplit> splits) throws Exception {
        return read(o, splits, new TestReaderContext());
    }

    static List<Row> read(ArchiveOptions o, List<ArchiveSplit> splits, TestReaderContext context)
            throws Exception {
        ArchiveReader r = new ArchiveReader(context, SolanaTable.TRANSACTIONS, o);
        r.addSplits(splits);
        r.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        try {
            while (r.pollNext(out) != InputStatus.END_OF_INPUT) {}
        } finally {
            r.close();
        }
        return out.rows;
    }

    @Test
    void pythonsServerIsReadAsOneStreamInOrderSaidOnce() throws Exception {
        String url = pythonBase + "/epoch.car";
        ArchiveOptions o = options(url, "python");
        ArchiveDiscovery.Result r = ArchiveDiscovery.discover(o);
        assertThat(r.splits()).hasSize(1);
        assertThat(r.splits().get(0).blocks()).isEqualTo(blocks);
        assertThat(r.notices())
                .containsExactly(
                        url
                                + ": the server has no range reads (it answers a Range request"
                                + " with the whole archive), so the archive is read as one stream"
                                + " in order by one reader, not range-parallel; serve it from a"
                                + " server with range support for parallel reads");
        TestReaderContext context = new TestReaderContext();
        assertThat(read(o, r.splits(), context))
                .isEqualTo(fileRows); // Row.equals compares arrays deeply
        // counted once, so `ipdm run` warns that the backfill was not range-parallel
        assertThat(context.counters.get(ArchiveReader.READ_IN_ORDER_METRIC).getCount())
                .isEqualTo(1);
        // the slot index the scan built is cached: found again without a scan
        try (ArchiveRange range = ArchiveRange.open(url, o)) {
            assertThat(Files.isRegularFile(SlotIndex.pathFor(url, o.indexDir()))).isTrue();
            assertThat(SlotIndex.read(SlotIndex.pathFor(url, o.indexDir()), url).entries())
                    .hasSize(blocks);
            assertThat(range.size()).isEqualTo(Files.size(car));
            assertThat(range.randomAccess()).isFalse();
        }
    }

    @Test
    void aReaderRestoredMidwayResumesInANewStream() throws Exception {
        String url = pythonBase + "/epoch.car";
        ArchiveOptions o = options(url, "python-restore");
        ArchiveReader first =
                new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        first.addSplits(ArchiveDiscovery.discover(o).splits());
        CollectingOutput out = new CollectingOutput();
        for (int i = 0; i < blocks / 2; i++) {
            first.pollNext(out);
        }
        List<ArchiveSplit> state = new ArrayList<>();
        for (ArchiveSplit s : first.snapshotState(1)) {
            state.add(
                    ArchiveSplitSerializer.INSTANCE.deserialize(
                            ArchiveSplitSerializer.INSTANCE.getVersion(),
                            ArchiveSplitSerializer.INSTANCE.serialize(s)));
        }
        first.close();
        assertThat(state).hasSize(1);
        assertThat(state.get(0).done()).isEqualTo(blocks / 2);
        ArchiveReader second =
                new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        second.addSplits(state);
        second.notifyNoMoreSplits();
        while (second.pollNext(out) != InputStatus.END_OF_INPUT) {}
        second.close();
        assertThat(out.rows).isEqualTo(fileRows);
    }

    /** Serves the archive with 206 answers to Range requests. */
    static HttpServer rangeServer() throws IOException {
        byte[] body = Files.readAllBytes(car);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> RangeRequests.answer(ex, body));
        server.start();
        return server;
    }

    /**
     * A plain socket server answering every request with 200 and the whole archive, but closing the
     * connection after {@code cutAt} bytes of it while {@code cuts} is above 0 (one less per cut
     * answer; below 0: every answer).
     */
    static final class CuttingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger cuts;
        final AtomicInteger requests = new AtomicInteger();

        final boolean stall;

        CuttingServer(int cutAt, AtomicInteger cuts) throws IOException {
            this(cutAt, cuts, false);
        }

        /** {@code stall}: a cut answer stops sending and keeps the connection open instead. */
        CuttingServer(int cutAt, AtomicInteger cuts, boolean stall) throws IOException {
            this.cuts = cuts;
            this.stall = stall;
            byte[] body = Files.readAllBytes(car);
            Thread t =
                    new Thread(
                            () -> {
                                while (!socket.isClosed()) {
                                    try {
                                        Socket c = socket.accept();
                                        Thread one =
                                                new Thread(
                                                        () -> {
                                                            try (c) {
                                                                serve(c, body, cutAt);
                                                            } catch (IOException
                                                                    | InterruptedException e) {
                                                                // the client went away
                                                            }
                                                        });
                                        one.setDaemon(true);
                                        one.start();
                                    } catch (IOException e) {
                                        // the server closed
                                    }
                                }
                            });
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket c, byte[] body, int cutAt)
                throws IOException, InterruptedException {
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null && !line.isEmpty(); ) {
                line = in.readLine();
            }
            requests.incrementAndGet();
            boolean cut = cuts.get() != 0;
            if (cuts.get() > 0) {
                cuts.decrementAndGet();
            }
            OutputStream out = c.getOutputStream();
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Length: "
                                    + body.length
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, cut ? cutAt : body.length);
            out.flush();
            if (cut && stall) {
                while (!socket.isClosed()) {
                    Thread.sleep(50); // sends nothing more, closes nothing
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/epoch.car";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aServerWithRangesStillSplitsTheArchive() throws Exception {
        HttpServer server = rangeServer();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/epoch.car";
            ArchiveOptions o = options(url, "ranges");
            ArchiveDiscovery.Result r = ArchiveDiscovery.discover(o);
            assertThat(r.splits()).hasSize((blocks + 9) / 10);
            assertThat(r.notices()).isEmpty();
            TestReaderContext context = new TestReaderContext();
            assertThat(read(o, r.splits(), context)).isEqualTo(fileRows);
            assertThat(context.counters.get(ArchiveReader.READ_IN_ORDER_METRIC).getCount())
                    .isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBrokenStreamIsOpenedAgainAndSkippedToWhereItBroke() throws Exception {
        int size = (int) Files.size(car);
        try (CuttingServer server = new CuttingServer(size / 2, new AtomicInteger(2))) {
            assertThat(readAll(options(server.url(), "broken"))).isEqualTo(fileRows);
            assertThat(server.cuts.get()).isZero();
        }
    }

    @Test
    void aStalledStreamIsClosedAfterRequestTimeoutAndOpenedAgain() throws Exception {
        int size = (int) Files.size(car);
        try (CuttingServer server = new CuttingServer(size / 3, new AtomicInteger(1), true)) {
            assertThat(readAll(options(server.url(), "stalled", Duration.ofMillis(500))))
                    .isEqualTo(fileRows);
            assertThat(server.cuts.get()).isZero();
        }
    }

    @Test
    void aStreamThatKeepsBreakingFailsNamingUrlBytesAndSlots() throws Exception {
        AtomicInteger cuts = new AtomicInteger(0);
        int size = (int) Files.size(car);
        try (CuttingServer server = new CuttingServer(size / 2, cuts)) {
            String url = server.url();
            ArchiveOptions o = options(url, "keeps-breaking");
            List<ArchiveSplit> splits = ArchiveDiscovery.discover(o).splits(); // whole answers
            cuts.set(-1); // from now on every answer breaks halfway
            assertThatThrownBy(() -> read(o, splits))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageStartingWith(url + ": reading bytes ")
                    .hasMessageContaining(
                            ", read in order: the server has no range reads) failed after 3"
                                    + " attempts: ")
                    .hasMessageContaining("(slots ")
                    .hasMessageEndingWith("; check the URL and the server, or raise max_attempts")
                    .hasMessageNotContaining("Exception");
        }
    }
}
