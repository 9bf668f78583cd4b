package io.ipdm.lakes.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.network.DelegatedRouting.DelegatedRoutingException;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delegated routing client against servers that answer well, badly or not at all (a JDK HTTP
 * server on loopback with set answers): records it cannot use are dropped, errors name the URL and
 * the status, and a body over the limit or past the deadline is cut off.
 */
class DelegatedRoutingTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Cid CID =
            Block.of(Multicodec.RAW, "routed".getBytes(StandardCharsets.UTF_8)).cid();
    private static final PeerId A = Ed25519KeyPair.generate().peerId();
    private static final PeerId B = Ed25519KeyPair.generate().peerId();

    private record Answer(int status, String type, String body, long delayMillis) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> asked = new ConcurrentHashMap<>();
    private HttpServer server;

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        asked.put(
                path,
                ex.getRequestURI().getRawQuery() + " " + ex.getRequestHeaders().getFirst("Accept"));
        Answer a = answers.getOrDefault(path, new Answer(404, "text/plain", "none", 0));
        try {
            Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.type());
        try (ex) {
            ex.sendResponseHeaders(a.status(), body.length);
            ex.getResponseBody().write(body);
        } catch (IOException e) {
            // the client gave up
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String peer(PeerId id, String protocols, String... addrs) {
        return "{\"Schema\":\"peer\",\"ID\":\""
                + id.toBase58()
                + "\",\"Addrs\":["
                + String.join(",", java.util.Arrays.stream(addrs).map(a -> '"' + a + '"').toList())
                + "],\"Protocols\":["
                + protocols
                + "]}";
    }

    @Test
    void keepsBitswapPeersAndTheAddressesItCanDial() throws Exception {
        URI base = serve();
        String lines =
                String.join(
                        "\n",
                        peer(
                                A,
                                "\"transport-bitswap\"",
                                "/ip4/10.0.0.1/udp/4001/quic-v1",
                                "/ip4/127.0.0.1/tcp/4001/p2p/" + A.toBase58()),
                        peer(B, "\"transport-ipfs-gateway-http\"", "/ip4/127.0.0.1/tcp/80"),
                        "{\"Schema\":\"unknown-thing\",\"ID\":\"" + B.toBase58() + "\"}",
                        "{\"Schema\":\"peer\",\"ID\":\"not-a-peer\",\"Addrs\":[]}",
                        "");
        answers.put(
                "/routing/v1/providers/" + CID, new Answer(200, "application/x-ndjson", lines, 0));
        List<Provider> ps = new DelegatedRouting(base).findProviders(CID, 10, T).providers();
        assertThat(ps)
                .containsExactly(
                        new Provider(A, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"))));
        assertThat(asked.get("/routing/v1/providers/" + CID))
                .isEqualTo(
                        "filter-protocols=transport-bitswap,unknown application/x-ndjson,"
                                + " application/json;q=0.8");

        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(
                        200,
                        "application/json",
                        "{\"Providers\":[" + peer(B, "", "/ip4/127.0.0.1/tcp/9") + "]}",
                        0));
        assertThat(new DelegatedRouting(base).findProviders(CID, 10, T).providers())
                .containsExactly(new Provider(B, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9"))));
    }

    @Test
    void notFoundIsNoProvidersAndOtherStatusesNameTheUrl() throws Exception {
        URI base = serve();
        assertThat(new DelegatedRouting(base).findProviders(CID, 10, T).providers()).isEmpty();
        answers.put("/routing/v1/providers/" + CID, new Answer(500, "text/plain", "boom\nmore", 0));
        assertThatThrownBy(() -> new DelegatedRouting(base).findProviders(CID, 10, T))
                .isInstanceOf(DelegatedRoutingException.class)
                .hasMessage(
                        "delegated router "
                                + base
                                + "/routing/v1/providers/"
                                + CID
                                + "?filter-protocols=transport-bitswap,unknown answered HTTP 500:"
                                + " boom");
        answers.put("/routing/v1/providers/" + CID, new Answer(200, "text/html", "<html>", 0));
        assertThatThrownBy(() -> new DelegatedRouting(base).findProviders(CID, 10, T))
                .hasMessageEndingWith(
                        " answered with Content-Type 'text/html'; expected application/json or"
                                + " application/x-ndjson");
        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(200, "application/json", "{\"Providers\":[", 0));
        assertThatThrownBy(() -> new DelegatedRouting(base).findProviders(CID, 10, T))
                .hasMessageContaining(" sent malformed JSON: dag-json: ");
    }

    @Test
    void aLargeAnswerIsCutToWholeLinesAndALargeJsonIsRefused() throws Exception {
        URI base = serve();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append(peer(Ed25519KeyPair.generate().peerId(), "", "/ip4/127.0.0.1/tcp/" + i))
                    .append('\n');
        }
        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(200, "application/x-ndjson", many.toString(), 0));
        List<Provider> ps =
                new DelegatedRouting(base, 4096).findProviders(CID, 1000, T).providers();
        assertThat(ps).hasSizeBetween(1, 99);
        assertThat(new DelegatedRouting(base, 1 << 20).findProviders(CID, 7, T).providers())
                .hasSize(7);

        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(200, "application/json", "{\"Providers\":[" + many + "]}", 0));
        assertThatThrownBy(() -> new DelegatedRouting(base, 4096).findProviders(CID, 10, T))
                .hasMessageEndingWith(" is larger than the limit or came too slowly");
    }

    @Test
    void aRouterThatDoesNotAnswerInTimeFails() throws Exception {
        URI base = serve();
        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(200, "application/x-ndjson", peer(A, ""), 5_000));
        assertThatThrownBy(
                        () ->
                                new DelegatedRouting(base)
                                        .findProviders(CID, 10, Duration.ofMillis(300)))
                .isInstanceOf(DelegatedRoutingException.class)
                .hasMessageEndingWith(" did not answer within PT0.3S");
    }

    @Test
    void theChainSkipsAFailingRouterAndLooksUpAddressesItLacks() throws Exception {
        URI good = serve();
        answers.put(
                "/routing/v1/providers/" + CID,
                new Answer(
                        200, "application/x-ndjson", peer(A, "\"transport-bitswap\"") + "\n", 0));
        answers.put(
                "/routing/v1/peers/" + A.toCidString(),
                new Answer(
                        200,
                        "application/json",
                        "{\"Peers\":[" + peer(A, "", "/ip4/127.0.0.1/tcp/7") + "]}",
                        0));
        DelegatedRoutingChain chain =
                new DelegatedRoutingChain(
                        ContentRouting.NONE,
                        List.of(
                                new DelegatedRouting(URI.create("http://127.0.0.1:1")),
                                new DelegatedRouting(good)));
        assertThat(chain.findProviders(CID, 5, T).providers())
                .containsExactly(new Provider(A, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/7"))));
    }

    @Test
    void routerUrlsAreCheckedAsGiven() {
        assertThatThrownBy(() -> DelegatedRouting.parseUrl("ftp://host/"))
                .hasMessage(
                        "delegated router 'ftp://host/' must be an http:// or https:// URL with a"
                                + " host, e.g. http://127.0.0.1:8080");
        assertThatThrownBy(() -> DelegatedRouting.parseUrl("localhost:8080"))
                .hasMessageStartingWith("delegated router 'localhost:8080' must be an http://");
        assertThat(DelegatedRouting.parseUrl("https://router.example/sub/"))
                .isEqualTo(URI.create("https://router.example/sub"));
    }
}
