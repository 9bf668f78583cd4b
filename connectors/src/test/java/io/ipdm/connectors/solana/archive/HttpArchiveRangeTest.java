package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ipdm.connectors.solana.testutils.RangeRequests;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Range reads against a loopback server that misbehaves: 500s then success (retried, the bytes
 * right), a 404 (not retried: said after one attempt), nobody listening (said in words after every
 * attempt), a 206 body that stalls mid-way (closed by the watchdog after request_timeout and
 * retried; when it keeps stalling, said with the byte it stalled at), each naming the URL, the byte
 * range and what was being read.
 */
class HttpArchiveRangeTest {
    static final byte[] DATA = new byte[10_000];

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = (byte) (i * 31);
        }
    }

    static ArchiveOptions options(String url) {
        return ArchiveOptions.of(List.of(url))
                .with(
                        null,
                        10,
                        4,
                        Duration.ofMillis(1),
                        Duration.ofSeconds(5),
                        ArchiveOptions.Prefetch.OFF,
                        4096);
    }

    /** Fails the first {@code failures} requests with {@code status}, then serves ranges. */
    static HttpServer server(int status, int failures, AtomicInteger requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    int n = requests.incrementAndGet();
                    if (n <= failures) {
                        ex.sendResponseHeaders(status, -1);
                        ex.close();
                        return;
                    }
                    RangeRequests.answer(ex, DATA);
                });
        server.start();
        return server;
    }

    @Test
    void serverErrorsAreRetriedUntilTheServerAnswers() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = server(500, 3, requests);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/e.car";
            try (ArchiveRange r = ArchiveRange.open(url, options(url))) {
                assertThat(r.read(1000, 500, "slot 7"))
                        .isEqualTo(Arrays.copyOfRange(DATA, 1000, 1500));
            }
            assertThat(requests.get()).isEqualTo(4);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingArchiveIsSaidAfterOneAttempt() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = server(404, 100, requests);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/e.car";
            try (ArchiveRange r = ArchiveRange.open(url, options(url))) {
                assertThatThrownBy(() -> r.read(1000, 500, "slot 7"))
                        .isInstanceOf(ArchiveException.class)
                        .hasMessage(
                                url
                                        + ": reading bytes 1000-1499 (slot 7) failed after 1"
                                        + " attempt: HTTP 404; check the URL and the server, or"
                                        + " raise max_attempts");
            }
            assertThat(requests.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nobodyListeningIsSaidInWordsAfterEveryAttempt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/e.car";
        try (ArchiveRange r = ArchiveRange.open(url, options(url))) {
            assertThatThrownBy(() -> r.read(0, 100, "the CAR header"))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageStartingWith(
                            url
                                    + ": reading bytes 0-99 (the CAR header) failed after 4"
                                    + " attempts: cannot connect to the server")
                    .hasMessageNotContaining("Exception");
        }
    }

    /**
     * Answers each range request with 206 and the right headers, but the first {@code stalls}
     * answers send only the first half of the body, then nothing, keeping the connection open.
     */
    static final class StallingServer implements AutoCloseable {
        final ServerSocket socket =
                new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger stalls;

        StallingServer(int stalls) throws Exception {
            this.stalls = new AtomicInteger(stalls);
            Thread t =
                    new Thread(
                            () -> {
                                while (!socket.isClosed()) {
                                    try {
                                        Socket c = socket.accept();
                                        Thread one = new Thread(() -> serve(c));
                                        one.setDaemon(true);
                                        one.start();
                                    } catch (Exception e) {
                                        // the server closed
                                    }
                                }
                            });
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket c) {
            try (c) {
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        c.getInputStream(), StandardCharsets.US_ASCII));
                String range = null;
                for (String line = in.readLine();
                        line != null && !line.isEmpty();
                        line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                        range = line.substring(line.indexOf('=') + 1).strip();
                    }
                }
                requests.incrementAndGet();
                String[] r = range.split("-");
                int from = Integer.parseInt(r[0]);
                int to = Math.min(Integer.parseInt(r[1]), DATA.length - 1);
                int len = to - from + 1;
                boolean stall = stalls.getAndDecrement() > 0;
                OutputStream out = c.getOutputStream();
                out.write(
                        ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
                                        + from
                                        + "-"
                                        + to
                                        + "/"
                                        + DATA.length
                                        + "\r\nContent-Length: "
                                        + len
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.write(DATA, from, stall ? len / 2 : len);
                out.flush();
                while (stall && !socket.isClosed() && !c.isClosed()) {
                    Thread.sleep(50); // sends nothing more, closes nothing
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/e.car";
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    static ArchiveOptions options(String url, Duration requestTimeout) {
        return ArchiveOptions.of(List.of(url))
                .with(
                        null,
                        10,
                        4,
                        Duration.ofMillis(1),
                        requestTimeout,
                        ArchiveOptions.Prefetch.OFF,
                        4096);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // without the watchdog the read hangs
    void aRangeBodyThatStallsIsClosedAfterRequestTimeoutAndRetried() throws Exception {
        try (StallingServer server = new StallingServer(1);
                ArchiveRange r =
                        ArchiveRange.open(
                                server.url(), options(server.url(), Duration.ofMillis(300)))) {
            assertThat(r.read(1000, 500, "slot 7")).isEqualTo(Arrays.copyOfRange(DATA, 1000, 1500));
            assertThat(server.requests.get()).isEqualTo(2);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // without the watchdog the read hangs
    void aRangeBodyThatKeepsStallingFailsNamingTheByteItStalledAt() throws Exception {
        try (StallingServer server = new StallingServer(100)) {
            String url = server.url();
            try (ArchiveRange r = ArchiveRange.open(url, options(url, Duration.ofMillis(1000)))) {
                assertThatThrownBy(() -> r.read(1000, 500, "slot 7"))
                        .isInstanceOf(ArchiveException.class)
                        .hasMessage(
                                url
                                        + ": reading bytes 1000-1499 (slot 7) failed after 4"
                                        + " attempts: the server sent nothing for request_timeout"
                                        + " (1000 ms) at byte 1250; check the URL and the server,"
                                        + " or raise max_attempts");
            }
            assertThat(server.requests.get()).isEqualTo(4);
        }
    }
}
