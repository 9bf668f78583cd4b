package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.UnixFsDirectory;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ipfs/{cid}/a/b.txt} through UnixFS directories our importer built ({@link
 * UnixFsDirectory#importTree}): a CAR of the blocks along the path then the target's DAG by {@code
 * dag-scope} (block, entity, all), {@code X-Ipfs-Roots} naming each segment, a 404 naming a missing
 * segment, a 400 for {@code ?format=raw} with a path (the trustless gateway spec serves raw blocks
 * by CID alone), a path from a dag-cbor map into the tree; and over HTTP a CAR whose blocks match
 * their CIDs and rebuild the file.
 */
class GatewayPathTest {
    @TempDir Path tmp;
    private final Map<Cid, Block> blocks = new HashMap<>();
    private final BlockSource source = blocks::get;
    private final Responder responder = new Responder(source);
    private Cid root;
    private byte[] big;

    @BeforeEach
    void tree() throws Exception {
        Path t = tmp.resolve("site");
        Files.createDirectories(t.resolve("a"));
        Files.createDirectories(t.resolve("sp ace"));
        Files.writeString(t.resolve("a/b.txt"), "hello b");
        big = new byte[2500]; // three distinct 1 KiB leaves
        new java.util.Random(7).nextBytes(big);
        Files.write(t.resolve("a/big.bin"), big);
        Files.writeString(t.resolve("c.txt"), "c");
        Files.writeString(t.resolve("sp ace/ü.txt"), "unicode");
        List<Block> imported = UnixFsDirectory.importTree(t, 1024);
        imported.forEach(b -> blocks.put(b.cid(), b));
        root = imported.get(imported.size() - 1).cid();
    }

    private Responder.Reply get(String target) {
        return responder.respond("GET", target, null);
    }

    private Cid link(Cid dir, String name) {
        for (DagPb.Link l : DagPb.decode(blocks.get(dir).data()).links()) {
            if (name.equals(l.name())) {
                return l.hash();
            }
        }
        throw new AssertionError(name + " not in " + dir);
    }

    private static String text(Responder.Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void aCarOfTheBlocksAlongThePathThenTheTargetByScope() {
        Cid a = link(root, "a");
        Cid b = link(a, "b.txt");
        Cid bigRoot = link(a, "big.bin");
        List<Cid> bigLeaves =
                DagPb.decode(blocks.get(bigRoot).data()).links().stream()
                        .map(DagPb.Link::hash)
                        .toList();
        assertThat(bigLeaves).hasSize(3);

        Responder.Reply file = get("/ipfs/" + root + "/a/b.txt?format=car");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.car().root()).isEqualTo(root);
        assertThat(file.car().blocks()).containsExactly(root, a, b);
        assertThat(file.headers().get("X-Ipfs-Roots")).isEqualTo(root + "," + a + "," + b);
        assertThat(file.headers().get("Content-Type")).isEqualTo(Responder.CAR_TYPE);

        List<Cid> whole = new ArrayList<>(List.of(root, a, bigRoot));
        whole.addAll(bigLeaves);
        assertThat(get("/ipfs/" + root + "/a/big.bin?format=car").car().blocks())
                .containsExactlyElementsOf(whole);
        assertThat(get("/ipfs/" + root + "/a/big.bin?format=car&dag-scope=entity").car().blocks())
                .containsExactlyElementsOf(whole);
        assertThat(get("/ipfs/" + root + "/a/big.bin?format=car&dag-scope=block").car().blocks())
                .containsExactly(root, a, bigRoot);
        // a directory's entity is its node; all is everything under it
        assertThat(get("/ipfs/" + root + "/a/?format=car&dag-scope=entity").car().blocks())
                .containsExactly(root, a);
        assertThat(get("/ipfs/" + root + "/a?format=car").car().blocks())
                .containsExactlyInAnyOrderElementsOf(
                        concat(List.of(root, a, b, bigRoot), bigLeaves));
        // each path has its own Etag
        assertThat(file.headers().get("Etag"))
                .isNotEqualTo(get("/ipfs/" + root + "/c.txt?format=car").headers().get("Etag"))
                .endsWith(".car.all\"");
        // percent-encoded segments are decoded before lookup
        Responder.Reply encoded = get("/ipfs/" + root + "/sp%20ace/%C3%BC.txt?format=car");
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.car().blocks()).hasSize(3);
    }

    @Test
    void whatDoesNotResolveIsNamed() {
        Responder.Reply missing = get("/ipfs/" + root + "/a/missing.txt?format=car");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo("no 'missing.txt' in /ipfs/" + root + "/a");
        Responder.Reply throughFile = get("/ipfs/" + root + "/c.txt/x?format=car");
        assertThat(throughFile.status()).isEqualTo(404);
        assertThat(text(throughFile))
                .isEqualTo(
                        "/ipfs/" + root + "/c.txt is a file (a raw block); it has no 'x' inside");
        Responder.Reply throughBig = get("/ipfs/" + root + "/a/big.bin/x?format=car");
        assertThat(text(throughBig))
                .isEqualTo(
                        "/ipfs/"
                                + root
                                + "/a/big.bin is a file, not a directory; it has no 'x' inside");
        Responder.Reply raw = get("/ipfs/" + root + "/a/b.txt?format=raw");
        assertThat(raw.status()).isEqualTo(400);
        assertThat(text(raw))
                .startsWith("a raw block is requested by its CID alone (/ipfs/{cid}?format=raw)");
        Block cbor = Block.of(Multicodec.DAG_CBOR, DagCbor.encode(Map.of("a", root)));
        blocks.put(cbor.cid(), cbor);
        // a dag-cbor map's link into the UnixFS tree (GatewayIpldPathTest covers IPLD pathing)
        Responder.Reply inCbor = get("/ipfs/" + cbor.cid() + "/a/a/b.txt?format=car");
        assertThat(inCbor.status()).isEqualTo(200);
        assertThat(inCbor.headers().get("X-Ipfs-Roots"))
                .endsWith("," + link(link(root, "a"), "b.txt"));
        // a block missing on the way
        blocks.remove(link(root, "a"));
        Responder.Reply gone = get("/ipfs/" + root + "/a/b.txt?format=car");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(text(gone))
                .isEqualTo("block " + link(root, "a") + " (/ipfs/" + root + "/a) not found");
    }

    @Test
    void overHttpTheCarsBlocksMatchTheirCidsAndRebuildTheFile() throws Exception {
        try (Gateway g =
                Gateway.start(source, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HttpResponse<byte[]> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            g.baseUri()
                                                                    + "/ipfs/"
                                                                    + root
                                                                    + "/a/big.bin"))
                                            .header("Accept", "application/vnd.ipld.car")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<Cid, Block> got = new HashMap<>();
            try (CarReader car = CarReader.open(new ByteArrayInputStream(r.body()))) {
                assertThat(car.header().roots()).containsExactly(root);
                for (CarReader.Section s = car.next(); s != null; s = car.next()) {
                    assertThat(s.block().cid().verifies(s.block().data())).isTrue();
                    got.put(s.block().cid(), s.block());
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Cid target =
                    Cid.parse(r.headers().firstValue("X-Ipfs-Roots").orElseThrow().split(",")[2]);
            UnixFsFile.write(got::get, target, out);
            assertThat(out.toByteArray()).isEqualTo(big);
            HttpResponse<String> missing =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            g.baseUri()
                                                                    + "/ipfs/"
                                                                    + root
                                                                    + "/nope?format=car"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body().trim()).isEqualTo("no 'nope' in /ipfs/" + root);
        }
    }

    private static List<Cid> concat(List<Cid> a, List<Cid> b) {
        List<Cid> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
