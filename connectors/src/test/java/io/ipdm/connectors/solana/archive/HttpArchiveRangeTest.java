package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Range reads against a loopback server that misbehaves: 500s then success (retried, the bytes
 * right), a 404 (not retried: said after one attempt), nobody listening (said in words after every
 * attempt), each naming the URL, the byte range and what was being read.
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
                    String[] r = ex.getRequestHeaders().getFirst("Range").substring(6).split("-");
                    int from = Integer.parseInt(r[0]);
                    int to = Math.min(Integer.parseInt(r[1]), DATA.length - 1);
                    ex.getResponseHeaders()
                            .add("Content-Range", "bytes " + from + "-" + to + "/" + DATA.length);
                    ex.sendResponseHeaders(206, to - from + 1);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(DATA, from, to - from + 1);
                    }
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
}
