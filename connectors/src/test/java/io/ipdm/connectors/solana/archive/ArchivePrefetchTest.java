package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.lakes.faithful.GetBlockArchiveTest;
import io.ipdm.connectors.solana.testutils.RangeRequests;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefetcher on the archive read path: over an HTTP server that answers every range request
 * after a delay, reading ahead gives the same rows, and the reader itself waits on fewer reads (the
 * others were started while it decoded); {@code auto} decides by measuring reads, local or remote.
 */
class ArchivePrefetchTest {
    @TempDir static Path dir;
    static Path car;
    static byte[] bytes;
    static HttpServer server;
    static String url;

    @BeforeAll
    static void serve() throws Exception {
        car = dir.resolve("real.car");
        GetBlockArchive.convert(GetBlockArchiveTest.realBlocks(), car);
        bytes = Files.readAllBytes(car);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/epoch.car",
                ex -> {
                    try {
                        Thread.sleep(15); // a slow store
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    RangeRequests.answer(ex, bytes);
                });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/epoch.car";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static ArchiveOptions options(String location, ArchiveOptions.Prefetch prefetch, String idx) {
        return ArchiveOptions.of(List.of(location))
                .with(
                        dir.resolve(idx).toString(),
                        2,
                        3,
                        Duration.ofMillis(1),
                        Duration.ofSeconds(10),
                        prefetch,
                        64 << 10);
    }

    /** Reads every section; returns {synchronous reads, reads started ahead}. */
    static long[] scan(ArchiveRange range, ArchiveOptions o) throws Exception {
        try (SectionStream s =
                new SectionStream(range, o, SlotIndex.firstSection(range), range.size())) {
            while (s.next() != null) {}
            return new long[] {s.synchronousReads(), s.readAheadReads()};
        }
    }

    @Test
    void slowHttpReadsGiveTheSameRowsWithFewerReadsWaitedFor() throws Exception {
        List<Row> local =
                ArchiveSourceTest.readAll(
                        options(car.toString(), ArchiveOptions.Prefetch.OFF, "local"));
        assertThat(local).hasSize(2264);
        for (ArchiveOptions.Prefetch p : ArchiveOptions.Prefetch.values()) {
            assertThat(ArchiveSourceTest.readAll(options(url, p, "http-" + p)))
                    .as("rows over slow HTTP, prefetch %s", p)
                    .isEqualTo(local);
        }
        long[] off;
        long[] on;
        long[] auto;
        ArchiveOptions o = options(url, ArchiveOptions.Prefetch.OFF, "scan");
        try (ArchiveRange range = ArchiveRange.open(url, o)) {
            off = scan(range, o);
            on = scan(range, options(url, ArchiveOptions.Prefetch.ON, "scan"));
            auto = scan(range, options(url, ArchiveOptions.Prefetch.AUTO, "scan"));
        }
        long chunks = (bytes.length + (64 << 10) - 1) / (64 << 10);
        assertThat(off[1]).isZero();
        assertThat(off[0]).isGreaterThanOrEqualTo(chunks - 1);
        // read ahead: after the first chunk, every chunk was requested before the reader got there
        assertThat(on[0]).isEqualTo(1);
        assertThat(on[0] + on[1]).isEqualTo(off[0]);
        // auto: 15 ms reads are slow, so it reads ahead as on does
        assertThat(auto[0]).isEqualTo(1);
    }

    @Test
    void autoMeasuresLocalFilesToo() throws Exception {
        // a local file on a slow disk (the clock moves 20 ms per reading): auto reads ahead
        AtomicLong now = new AtomicLong();
        ArchiveOptions o = options(car.toString(), ArchiveOptions.Prefetch.AUTO, "slow-local");
        try (ArchiveRange range = ArchiveRange.open(car.toString(), o);
                SectionStream s =
                        new SectionStream(
                                range,
                                o,
                                SlotIndex.firstSection(range),
                                range.size(),
                                () -> now.addAndGet(20_000_000))) {
            assertThat(range.remote()).isFalse();
            while (s.next() != null) {}
            assertThat(s.readingAhead()).isTrue();
            assertThat(s.readAheadReads()).isPositive();
        }
        // the same file read fast (the clock moves 10 µs per reading): auto stops reading ahead
        AtomicLong fast = new AtomicLong();
        try (ArchiveRange range = ArchiveRange.open(car.toString(), o);
                SectionStream s =
                        new SectionStream(
                                range,
                                o,
                                SlotIndex.firstSection(range),
                                range.size(),
                                () -> fast.addAndGet(10_000))) {
            while (s.next() != null) {}
            assertThat(s.readingAhead()).isFalse();
        }
    }
}
