package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trustless gateway behaviours the ipfs/gateway-conformance suite checks that reproduce here
 * without its fixtures, over real HTTP: HEAD, immutable caching and {@code If-None-Match}, {@code
 * X-Ipfs-Roots}, the raw and CAR content types and dispositions, {@code ?format=} over {@code
 * Accept}, and a 400 naming an invalid CID.
 */
class GatewayConformanceTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> send(Gateway g, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(g.baseUri().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String h(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void trustlessResponsesCarryTheSpecHeaders(@TempDir Path dir) throws Exception {
        List<Block> dag = GatewayTest.dag();
        Cid root = dag.get(0).cid();
        Block leaf = Block.of(Multicodec.RAW, "conformance".getBytes(StandardCharsets.UTF_8));
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.putAll(dag);
            store.put(leaf);

            // raw: type, length, disposition, immutable caching, roots, nosniff
            HttpResponse<byte[]> raw = send(g, "GET", "/ipfs/" + leaf.cid() + "?format=raw");
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(h(raw, "Content-Type")).isEqualTo("application/vnd.ipld.raw");
            assertThat(h(raw, "Content-Length")).isEqualTo(String.valueOf(leaf.data().length));
            assertThat(h(raw, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + leaf.cid() + ".bin\"");
            assertThat(h(raw, "Cache-Control")).isEqualTo("public, max-age=29030400, immutable");
            assertThat(h(raw, "X-Ipfs-Roots")).isEqualTo(leaf.cid().toString());
            assertThat(h(raw, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(h(raw, "Etag")).isEqualTo("\"" + leaf.cid() + ".raw\"");
            assertThat(raw.body()).isEqualTo(leaf.data());

            // CAR: versioned type, disposition, roots, a scope-specific Etag
            HttpResponse<byte[]> car = send(g, "GET", "/ipfs/" + root + "?format=car");
            assertThat(h(car, "Content-Type"))
                    .isEqualTo("application/vnd.ipld.car; version=1; order=dfs; dups=n");
            assertThat(h(car, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + root + ".car\"");
            assertThat(h(car, "X-Ipfs-Roots")).isEqualTo(root.toString());
            assertThat(h(car, "Cache-Control")).isEqualTo("public, max-age=29030400, immutable");
            String blockScope =
                    h(send(g, "GET", "/ipfs/" + root + "?format=car&dag-scope=block"), "Etag");
            assertThat(blockScope).isNotEqualTo(h(car, "Etag"));

            // HEAD: the GET's status and headers, no body
            for (String path :
                    List.of(
                            "/ipfs/" + leaf.cid() + "?format=raw",
                            "/ipfs/" + root + "?format=car")) {
                HttpResponse<byte[]> get = send(g, "GET", path);
                HttpResponse<byte[]> head = send(g, "HEAD", path);
                assertThat(head.statusCode()).as(path).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
                for (String name :
                        List.of("Content-Type", "Etag", "X-Ipfs-Roots", "Cache-Control")) {
                    assertThat(h(head, name)).as(path + " " + name).isEqualTo(h(get, name));
                }
                // a HEAD revalidates like a GET
                assertThat(send(g, "HEAD", path, "If-None-Match", h(get, "Etag")).statusCode())
                        .isEqualTo(304);
            }
            assertThat(
                            send(
                                            g,
                                            "HEAD",
                                            "/ipfs/"
                                                    + Block.of(Multicodec.RAW, new byte[] {9}).cid()
                                                    + "?format=raw")
                                    .statusCode())
                    .isEqualTo(404);

            // ?format= takes precedence over Accept, both ways
            HttpResponse<byte[]> rawOverAccept =
                    send(
                            g,
                            "GET",
                            "/ipfs/" + leaf.cid() + "?format=raw",
                            "Accept",
                            "application/vnd.ipld.car");
            assertThat(h(rawOverAccept, "Content-Type")).isEqualTo("application/vnd.ipld.raw");
            HttpResponse<byte[]> carOverAccept =
                    send(
                            g,
                            "GET",
                            "/ipfs/" + leaf.cid() + "?format=car",
                            "Accept",
                            "application/vnd.ipld.raw");
            assertThat(h(carOverAccept, "Content-Type")).startsWith("application/vnd.ipld.car");
            try (CarReader r = CarReader.open(new ByteArrayInputStream(carOverAccept.body()))) {
                assertThat(r.header().roots()).containsExactly(leaf.cid());
            }
            // and Accept alone picks the response type
            assertThat(
                            h(
                                    send(
                                            g,
                                            "GET",
                                            "/ipfs/" + leaf.cid(),
                                            "Accept",
                                            "application/vnd.ipld.raw"),
                                    "Content-Type"))
                    .isEqualTo("application/vnd.ipld.raw");

            // an invalid CID is a 400 that says which
            HttpResponse<byte[]> bad = send(g, "GET", "/ipfs/not-a-cid?format=raw");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new String(bad.body(), StandardCharsets.UTF_8))
                    .isEqualTo("invalid CID 'not-a-cid'\n");
        }
    }
}
