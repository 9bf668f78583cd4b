package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multicodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPNS through two nodes: A publishes its name through the DHT, B resolves and verifies it, B's
 * gateway serves {@code /ipns/A} as the named block and as the signed record; A restarted continues
 * the sequence and the newer record replaces the older one; paths inside a named directory.
 */
class NameServiceTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    static NodeConfig config(Path lake, List<Multiaddr> boot) {
        return NodeConfig.builder(EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY), lake)
                .listen(List.of(ANY))
                .bootstrap(boot)
                .readTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void aNamePublishedByOneNodeResolvesOnAnotherAndThroughItsGateway(@TempDir Path dir)
            throws Exception {
        Block hello = Block.of(Multicodec.RAW, "hello ipns".getBytes(StandardCharsets.UTF_8));
        Block second = Block.of(Multicodec.RAW, "second".getBytes(StandardCharsets.UTF_8));
        try (LakeNode a =
                        LakeNode.start(config(dir.resolve("a"), List.of()), IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(
                                config(dir.resolve("b"), a.mesh().addresses()),
                                IpfsNetwork::install)) {
            a.store().put(hello);
            a.store().pin(hello.cid());
            awaitRoutingTables(a, b);
            NameService.Published p =
                    a.names()
                            .publish(
                                    "/ipfs/" + hello.cid(),
                                    Duration.ofHours(24),
                                    Duration.ofMinutes(5));
            assertThat(p.record().sequence()).isZero();
            assertThat(p.put().storedBy()).contains(b.mesh().peerId());

            IpnsRecord r = b.names().resolve(a.mesh().peerId());
            assertThat(r.value()).isEqualTo("/ipfs/" + hello.cid());
            assertThat(r.name()).isEqualTo(a.mesh().peerId());
            assertThat(r.validity()).isAfter(Instant.now().plus(Duration.ofHours(23)));

            HttpClient http = HttpClient.newHttpClient();
            String base = b.gateway().baseUri() + "/ipns/" + a.mesh().peerId().toCidString();
            HttpResponse<byte[]> raw =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "?format=raw")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(hello.data());
            HttpResponse<byte[]> rec =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "?format=ipns-record"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(rec.statusCode()).isEqualTo(200);
            assertThat(rec.headers().firstValue("Content-Type"))
                    .contains("application/vnd.ipfs.ipns-record");
            assertThat(IpnsRecord.verify(a.mesh().peerId(), rec.body(), System.currentTimeMillis()))
                    .isEqualTo(r);
            HttpResponse<String> bad =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    b.gateway().baseUri()
                                                            + "/ipns/example.com?format=raw"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("'example.com' is not an IPNS name");
        }
        // restarted, A continues its sequence from the file in its lake
        assertThat(Files.readString(dir.resolve("a/ipns/self.properties"))).contains("sequence=0");
        try (LakeNode a =
                        LakeNode.start(config(dir.resolve("a"), List.of()), IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(
                                config(dir.resolve("b"), a.mesh().addresses()),
                                IpfsNetwork::install)) {
            awaitRoutingTables(a, b);
            NameService.Published p =
                    a.names().publish("/ipfs/" + second.cid(), Duration.ofHours(1), Duration.ZERO);
            assertThat(p.record().sequence()).isEqualTo(1);
            IpnsRecord r = b.names().resolve(a.mesh().peerId());
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.value()).isEqualTo("/ipfs/" + second.cid());
        }
    }

    /**
     * A name pointing at a directory another node holds: B's gateway resolves the name through the
     * DHT, reads the blocks along {@code /a/b.txt} from A over Bitswap and serves them as a CAR; a
     * missing segment is a 404 naming it, {@code ?format=raw} with a path a 400.
     */
    @Test
    void pathsInsideANamedDirectoryAreServedByAnotherNodesGateway(@TempDir Path dir)
            throws Exception {
        Path tree = dir.resolve("site");
        Files.createDirectories(tree.resolve("a"));
        Files.writeString(tree.resolve("a/b.txt"), "hello through ipns");
        Files.writeString(tree.resolve("index.html"), "<p>hi</p>");
        List<Block> blocks = io.ipdm.lakes.ipld.UnixFsDirectory.importTree(tree, 1 << 20);
        io.ipdm.multiformats.Cid root = blocks.get(blocks.size() - 1).cid();
        try (LakeNode a =
                        LakeNode.start(config(dir.resolve("a"), List.of()), IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(
                                config(dir.resolve("b"), a.mesh().addresses()),
                                IpfsNetwork::install)) {
            a.store().putAll(blocks);
            a.store().pin(root);
            awaitRoutingTables(a, b);
            a.names().publish("/ipfs/" + root, Duration.ofHours(1), Duration.ofMinutes(1));

            HttpClient http = HttpClient.newHttpClient();
            String base = b.gateway().baseUri() + "/ipns/" + a.mesh().peerId().toCidString();
            HttpResponse<byte[]> car =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/a/b.txt?format=car"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(car.statusCode()).isEqualTo(200);
            assertThat(car.headers().firstValue("X-Ipfs-Path"))
                    .hasValue("/ipns/" + a.mesh().peerId() + "/a/b.txt");
            assertThat(car.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
            List<Block> got = new java.util.ArrayList<>();
            try (io.ipdm.lakes.car.CarReader r =
                    io.ipdm.lakes.car.CarReader.open(
                            new java.io.ByteArrayInputStream(car.body()))) {
                assertThat(r.header().roots()).containsExactly(root);
                for (var s = r.next(); s != null; s = r.next()) {
                    assertThat(s.block().cid().verifies(s.block().data())).isTrue();
                    got.add(s.block());
                }
            }
            assertThat(got).hasSize(3);
            assertThat(new String(got.get(2).data(), StandardCharsets.UTF_8))
                    .isEqualTo("hello through ipns");

            HttpResponse<String> missing =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/a/nope.txt?format=car"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body().trim()).isEqualTo("no 'nope.txt' in /ipfs/" + root + "/a");
            HttpResponse<String> raw =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/a/b.txt?format=raw"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(400);
        }
    }

    static void awaitRoutingTables(LakeNode... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (LakeNode n : nodes) {
            while (n.status().routingTableSize() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("routing tables did not fill within 30 s");
                }
                Thread.sleep(20);
            }
        }
    }
}
