package io.ipdm.lakes.gateway;

import static io.ipdm.lakes.gateway.GatewayRequests.header;
import static io.ipdm.lakes.gateway.GatewayRequests.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trustless gateway behaviours the ipfs/gateway-conformance suite checks that reproduce here
 * without its fixtures, over real HTTP: HEAD, immutable caching and {@code If-None-Match}, {@code
 * X-Ipfs-Roots}, the raw and CAR content types and dispositions, {@code ?format=} over {@code
 * Accept} (also over an {@code Accept} asking for a CAR variant not served, which alone is a 406),
 * and a 400 naming an invalid CID.
 */
class GatewayConformanceTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

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
            assertThat(header(raw, "Content-Type")).isEqualTo("application/vnd.ipld.raw");
            assertThat(header(raw, "Content-Length")).isEqualTo(String.valueOf(leaf.data().length));
            assertThat(header(raw, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + leaf.cid() + ".bin\"");
            assertThat(header(raw, "Cache-Control"))
                    .isEqualTo("public, max-age=29030400, immutable");
            assertThat(header(raw, "X-Ipfs-Roots")).isEqualTo(leaf.cid().toString());
            assertThat(header(raw, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(header(raw, "Etag")).isEqualTo("\"" + leaf.cid() + ".raw\"");
            assertThat(raw.body()).isEqualTo(leaf.data());

            // CAR: versioned type, disposition, roots, a scope-specific Etag
            HttpResponse<byte[]> car = send(g, "GET", "/ipfs/" + root + "?format=car");
            assertThat(header(car, "Content-Type"))
                    .isEqualTo("application/vnd.ipld.car; version=1; order=dfs; dups=n");
            assertThat(header(car, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + root + ".car\"");
            assertThat(header(car, "X-Ipfs-Roots")).isEqualTo(root.toString());
            assertThat(header(car, "Cache-Control"))
                    .isEqualTo("public, max-age=29030400, immutable");
            String blockScope =
                    header(send(g, "GET", "/ipfs/" + root + "?format=car&dag-scope=block"), "Etag");
            assertThat(blockScope).isNotEqualTo(header(car, "Etag"));

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
                    assertThat(header(head, name))
                            .as(path + " " + name)
                            .isEqualTo(header(get, name));
                }
                // a HEAD revalidates like a GET
                assertThat(send(g, "HEAD", path, "If-None-Match", header(get, "Etag")).statusCode())
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
            assertThat(header(rawOverAccept, "Content-Type")).isEqualTo("application/vnd.ipld.raw");
            HttpResponse<byte[]> carOverAccept =
                    send(
                            g,
                            "GET",
                            "/ipfs/" + leaf.cid() + "?format=car",
                            "Accept",
                            "application/vnd.ipld.raw");
            assertThat(header(carOverAccept, "Content-Type"))
                    .startsWith("application/vnd.ipld.car");
            try (CarReader r = CarReader.open(new ByteArrayInputStream(carOverAccept.body()))) {
                assertThat(r.header().roots()).containsExactly(leaf.cid());
            }
            // ?format=car over an Accept asking for a CAR variant not served (CARv2, another
            // order, dups=y): the CARv1 served, its Content-Type saying which; Accept alone is 406
            for (String variant :
                    List.of(
                            "application/vnd.ipld.car; version=2",
                            "application/vnd.ipld.car; order=bfs",
                            "application/vnd.ipld.car; version=1; order=dfs; dups=y")) {
                HttpResponse<byte[]> formatWins =
                        send(g, "GET", "/ipfs/" + root + "?format=car", "Accept", variant);
                assertThat(formatWins.statusCode()).as(variant).isEqualTo(200);
                assertThat(header(formatWins, "Content-Type"))
                        .as(variant)
                        .isEqualTo("application/vnd.ipld.car; version=1; order=dfs; dups=n");
                assertThat(formatWins.body()).as(variant).isEqualTo(car.body());
                HttpResponse<byte[]> acceptOnly =
                        send(g, "GET", "/ipfs/" + root, "Accept", variant);
                assertThat(acceptOnly.statusCode()).as(variant).isEqualTo(406);
                assertThat(new String(acceptOnly.body(), StandardCharsets.UTF_8))
                        .as(variant)
                        .endsWith(
                                "; ask for application/vnd.ipld.car; version=1; order=dfs;"
                                        + " dups=n\n");
            }
            // and Accept alone picks the response type
            assertThat(
                            header(
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
