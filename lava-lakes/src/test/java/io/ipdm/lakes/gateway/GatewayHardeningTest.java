package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile client's probes: slow requests, too many connections, bad and oversized input. */
class GatewayHardeningTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Sends raw bytes, reads until the server closes; the response as text. */
    private static String raw(int port, String request) throws IOException {
        return raw(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String raw(int port, byte[] request) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return readToEnd(s.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        StringBuilder out = new StringBuilder();
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException e) {
            // a reset after the server closed: what was read is the answer
        }
        return out.toString();
    }

    private static int status(String response) {
        assertThat(response).startsWith("HTTP/1.1 ");
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static void assertNoInternals(String response) {
        assertThat(response)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("io.netty");
        assertThat(response.length()).isLessThan(1024);
    }

    private HttpResponse<byte[]> get(Gateway g, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(g.baseUri().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void slowClientsAreCutOffWhileOthersAreServed(@TempDir Path dir) throws Exception {
        List<Block> dag = GatewayTest.dag();
        GatewayLimits limits =
                GatewayLimits.DEFAULT
                        .withTimeouts(
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(10))
                        .withConnections(8, 1024);
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0), limits)) {
            store.putAll(dag);
            Cid root = dag.get(0).cid();
            // 40 connections from another loopback address send half a request line and stop
            InetAddress hostile = InetAddress.getByName("127.0.0.2");
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(hostile, 0));
                    s.connect(new InetSocketAddress(LOOPBACK, g.port()));
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write("GET /ipfs/".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    slow.add(s);
                }
                // others are served meanwhile
                HttpResponse<byte[]> ok = get(g, "/ipfs/" + root + "?format=raw");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo(dag.get(0).data());

                // every slow connection ends: 408 after the request timeout, or 429 at once
                int timedOut = 0;
                int refused = 0;
                for (Socket s : slow) {
                    String r = readToEnd(s.getInputStream());
                    int code = status(r);
                    assertThat(code).isIn(408, 429);
                    assertNoInternals(r);
                    if (code == 408) {
                        timedOut++;
                        assertThat(body(r))
                                .isEqualTo("the request did not arrive whole within 2000 ms\n");
                    } else {
                        refused++;
                        assertThat(r).containsIgnoringCase("Retry-After: 5");
                        assertThat(body(r))
                                .isEqualTo(
                                        "too many connections from 127.0.0.2 (at most 8); close"
                                                + " some and retry\n");
                    }
                }
                assertThat(timedOut).isGreaterThanOrEqualTo(8);
                assertThat(refused).isGreaterThanOrEqualTo(1);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            // an idle kept-alive connection is closed too
            try (Socket idle = new Socket(LOOPBACK, g.port())) {
                idle.setSoTimeout(30_000);
                idle.getOutputStream()
                        .write(
                                ("GET /ipfs/" + root + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                String r = readToEnd(idle.getInputStream());
                assertThat(status(r)).isEqualTo(200);
            }
            assertThat(get(g, "/ipfs/" + root + "?format=car").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badRequestsGetTheSpecStatusesAndShortBodies(@TempDir Path dir) throws Exception {
        List<Block> dag = GatewayTest.dag();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.putAll(dag);
            int port = g.port();
            Cid root = dag.get(0).cid();
            String close = "Host: x\r\nConnection: close\r\n";

            String carV2 =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + " HTTP/1.1\r\n"
                                    + close
                                    + "Accept: application/vnd.ipld.car; version=2\r\n\r\n");
            assertThat(status(carV2)).isEqualTo(406);
            assertThat(body(carV2))
                    .isEqualTo(
                            "CAR version 2 is not served; ask for application/vnd.ipld.car;"
                                    + " version=1; order=dfs; dups=n\n");
            String byAccept =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + " HTTP/1.1\r\n"
                                    + close
                                    + "Accept: application/vnd.ipld.car;version=2;order=dfs\r\n\r\n");
            assertThat(status(byAccept)).isEqualTo(406);
            String dupsY =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + " HTTP/1.1\r\n"
                                    + close
                                    + "Accept: application/vnd.ipld.car; dups=y\r\n\r\n");
            assertThat(status(dupsY)).isEqualTo(406);
            // a served variant later in the list wins
            String fallback =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + " HTTP/1.1\r\n"
                                    + close
                                    + "Accept: application/vnd.ipld.car; version=2,"
                                    + " application/vnd.ipld.car; version=1; q=0.5\r\n\r\n");
            assertThat(status(fallback)).isEqualTo(200);
            assertThat(fallback)
                    .containsIgnoringCase(
                            "content-type: application/vnd.ipld.car; version=1; order=dfs; dups=n");

            String version =
                    raw(port, "GET /ipfs/" + root + "?format=raw HTTP/9.9\r\n" + close + "\r\n");
            assertThat(status(version)).isEqualTo(505);

            String bigHeader =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + "?format=raw HTTP/1.1\r\n"
                                    + close
                                    + "X-Big: "
                                    + "h".repeat(100_000)
                                    + "\r\n\r\n");
            assertThat(status(bigHeader)).isEqualTo(431);
            assertNoInternals(bigHeader);

            String bigLine =
                    raw(
                            port,
                            "GET /ipfs/" + "a".repeat(100_000) + " HTTP/1.1\r\n" + close + "\r\n");
            assertThat(status(bigLine)).isEqualTo(414);
            assertNoInternals(bigLine);

            String badCid =
                    raw(
                            port,
                            "GET /ipfs/bafy"
                                    + "a".repeat(5000)
                                    + "?format=raw HTTP/1.1\r\n"
                                    + close
                                    + "\r\n");
            assertThat(status(badCid)).isEqualTo(400);
            assertThat(body(badCid))
                    .isEqualTo("invalid CID 'bafy" + "a".repeat(76) + "... (5004 characters)'\n");
            assertNoInternals(badCid);

            for (String path :
                    List.of(
                            "/ipfs/%zz?format=raw",
                            "/ipfs/?format=raw",
                            "/ipfs/" + root + "/x?format=raw",
                            "/ipfs/" + root + "?format=tar",
                            "/ipfs/" + root + "?format=car&dag-scope=%00x")) {
                String r = raw(port, "GET " + path + " HTTP/1.1\r\n" + close + "\r\n");
                assertThat(status(r)).as(path).isEqualTo(400);
                assertNoInternals(r);
            }
            String garbage = raw(port, "HELLO\r\n\r\n");
            assertThat(status(garbage)).isEqualTo(400);
            assertNoInternals(garbage);

            String delete = raw(port, "DELETE /ipfs/" + root + " HTTP/1.1\r\n" + close + "\r\n");
            assertThat(status(delete)).isEqualTo(405);
            assertThat(delete).containsIgnoringCase("allow: GET, HEAD");

            String withBody =
                    raw(
                            port,
                            "GET /ipfs/"
                                    + root
                                    + "?format=raw HTTP/1.1\r\n"
                                    + close
                                    + "Content-Length: 5\r\n\r\nhello");
            assertThat(status(withBody)).isEqualTo(413);

            // the empty identity CID: trustless gateway probe
            HttpResponse<byte[]> probe = get(g, "/ipfs/bafkqaaa?format=raw");
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(probe.body()).isEmpty();
            HttpResponse<byte[]> probeCar = get(g, "/ipfs/bafkqaaa?format=car");
            assertThat(probeCar.statusCode()).isEqualTo(200);
            try (CarReader r = CarReader.open(new ByteArrayInputStream(probeCar.body()))) {
                assertThat(r.header().roots()).containsExactly(Cid.parse("bafkqaaa"));
                assertThat(r.next()).isNull();
            }

            // still serving
            assertThat(get(g, "/ipfs/" + root + "?format=raw").body()).isEqualTo(dag.get(0).data());
        }
    }

    /**
     * A body the gateway does not take is answered 413 with {@code Connection: close} and the
     * connection ends: the request kept alive behind it is never read as part of the body or the
     * body as a request (one status line on the wire, nothing after it).
     */
    @Test
    void aRefusedBodyClosesTheConnectionSoItCannotBecomeTheNextRequest(@TempDir Path dir)
            throws Exception {
        List<Block> dag = GatewayTest.dag();
        Cid root = dag.get(0).cid();
        String second = "GET /ipfs/" + root + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n";
        // the body is itself a request: if it were read as the next one, it would be answered
        String body = "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n";
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0));
                Gateway routed =
                        Gateway.start(
                                store,
                                new InetSocketAddress(LOOPBACK, 0),
                                GatewayLimits.DEFAULT,
                                null,
                                new RoutingV1(
                                        RoutingV1Test.backend((cid, max) -> List.of()),
                                        RoutingV1.Limits.DEFAULT,
                                        java.time.Clock.systemUTC()))) {
            store.putAll(dag);
            String r =
                    raw(
                            g.port(),
                            "GET /ipfs/"
                                    + root
                                    + "?format=raw HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                    + body.length()
                                    + "\r\n\r\n"
                                    + body
                                    + second);
            assertThat(status(r)).isEqualTo(413);
            assertThat(r).containsIgnoringCase("connection: close");
            assertThat(body(r)).isEqualTo("requests take no body here\n");
            assertThat(r.split("HTTP/1.1 ", -1)).hasSize(2);

            // routing takes a body up to the IPNS record limit; a larger PUT is cut off the same
            // way
            int limit = RoutingV1.maxBodyBytes();
            String big = "x".repeat(limit + 1);
            String put =
                    raw(
                            routed.port(),
                            "PUT /routing/v1/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8"
                                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/vnd.ipfs.ipns-record"
                                    + "\r\nContent-Length: "
                                    + big.length()
                                    + "\r\n\r\n"
                                    + big
                                    + second);
            assertThat(status(put)).isEqualTo(413);
            assertThat(body(put)).isEqualTo("request body larger than " + limit + " bytes\n");
            assertThat(put.split("HTTP/1.1 ", -1)).hasSize(2);

            // a request without a body on a kept-alive connection is still answered in turn
            String last = second.replace("Host: x\r\n", "Host: x\r\nConnection: close\r\n");
            String two = raw(g.port(), second + last);
            assertThat(two.split("HTTP/1.1 200 ", -1)).hasSize(3);
        }
    }

    @Test
    void aClientThatStopsReadingACarHoldsNoWorker(@TempDir Path dir) throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 24; i++) {
            byte[] c = new byte[1 << 20];
            random.nextBytes(c);
            chunks.add(c);
        }
        List<Block> file = io.ipdm.lakes.ipld.UnixFsFile.build(chunks);
        Cid root = file.get(file.size() - 1).cid();
        // one worker: a stuck CAR response must give it back while the socket is full
        GatewayLimits limits =
                new GatewayLimits(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(300),
                        8192,
                        16384,
                        32,
                        1024,
                        1,
                        16);
        try (TieredStore store = TieredStore.open(dir, 64 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0), limits);
                Socket stuck = new Socket()) {
            store.putAll(file);
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress(LOOPBACK, g.port()));
            stuck.getOutputStream()
                    .write(
                            ("GET /ipfs/" + root + "?format=car HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            // read the status line only, then stop reading
            stuck.setSoTimeout(30_000);
            assertThat(new String(stuck.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> ok = get(g, "/ipfs/" + file.get(i).cid() + "?format=raw");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo(chunks.get(i));
            }
            // the stuck client can still read its whole CAR
            InputStream in = stuck.getInputStream();
            byte[] rest = new byte[1 << 16];
            long total = 0;
            String tail = "";
            for (int n; (n = in.read(rest)) > 0; ) {
                total += n;
                // the last 5 bytes across reads: the chunked body ends with 0 CRLF CRLF
                tail = tail + new String(rest, 0, n, StandardCharsets.ISO_8859_1);
                tail = tail.substring(Math.max(0, tail.length() - 5));
                if (tail.endsWith("0\r\n\r\n")) {
                    break;
                }
            }
            assertThat(total).isGreaterThan(24L << 20);
        }
    }

    @Test
    void keptAliveConnectionsAnswerPipelinedRequestsInOrder(@TempDir Path dir) throws Exception {
        List<Block> dag = GatewayTest.dag();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.putAll(dag);
            StringBuilder req = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                req.append("GET /ipfs/")
                        .append(dag.get(2 + i % 2).cid())
                        .append("?format=raw HTTP/1.1\r\nHost: x\r\n")
                        .append(i == 3 ? "Connection: close\r\n" : "")
                        .append("\r\n");
            }
            String r = raw(g.port(), req.toString());
            List<String> bodies = new ArrayList<>();
            for (String part : r.split("HTTP/1.1 200 OK\r\n")) {
                if (!part.isEmpty()) {
                    bodies.add(body(part));
                }
            }
            assertThat(bodies).containsExactly("leaf 0", "leaf 1", "leaf 0", "leaf 1");
            HttpResponse<byte[]> car = get(g, "/ipfs/" + dag.get(0).cid() + "?format=car");
            try (CarReader c = CarReader.open(new ByteArrayInputStream(car.body()))) {
                List<Cid> got = new ArrayList<>();
                for (CarReader.Section s = c.next(); s != null; s = c.next()) {
                    got.add(s.block().cid());
                }
                assertThat(got).isEqualTo(dag.stream().map(Block::cid).toList());
            }
        }
    }
}
