package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.UnixFsData;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content Helia added ({@code @helia/unixfs} addAll: nested directories, a multi-block file, and a
 * directory of 300 entries sharded into a HAMT, with sub-shards where buckets collide) is fetched
 * by Bitswap into a lake and then fetched through our gateway by path: for every file, the CAR's
 * last segment is the CID Helia gave that path, its blocks match their CIDs and rebuild the bytes
 * Helia stored; a name missing from the HAMT is a 404 naming it. Skips when node or the npm modules
 * are missing.
 */
class GatewayHeliaPathTest {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void filesHeliaAddedResolveByPathThroughDirectoriesAndHamtShards(@TempDir Path dir)
            throws Exception {
        List<Map<String, Object>> files = new ArrayList<>();
        files.add(Map.of("path", "docs/readme.txt", "seed", 1, "size", 100));
        files.add(Map.of("path", "docs/deep/big.bin", "seed", 2, "size", 1_500_000));
        for (int i = 0; i < 300; i++) {
            files.add(
                    Map.of(
                            "path",
                            String.format("many/f-%03d.txt", i),
                            "seed",
                            10 + i,
                            "size",
                            20));
        }
        try (JsPeer helia = JsPeer.start(JsPeer.Service.HELIA);
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
                TieredStore store = TieredStore.open(dir, 64 << 20, 1 << 20)) {
            JsonNode added =
                    helia.call("addTree", T, "files", files, "shardSplitThresholdBytes", 2000);
            Cid root = Cid.parse(added.get("root").asText());
            Map<String, Cid> heliaCids = new HashMap<>();
            for (JsonNode e : added.get("entries")) {
                heliaCids.put(e.get("path").asText(), Cid.parse(e.get("cid").asText()));
            }

            Identify.install(host, "ipdm-lava-lakes/test", true);
            try (BitswapNetwork bitswap =
                    BitswapNetwork.start(
                            host,
                            BlockStore.of(store),
                            BitswapConfig.defaults(),
                            Clock.systemUTC())) {
                host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
                host.dial(helia.addr()).get(10, TimeUnit.SECONDS);
                try (BitswapSession s = bitswap.session(List.of())) {
                    List<Block> got = new ArrayList<>();
                    s.fetchDag(root, store, got::add, 16, T);
                    store.putAll(got);
                }
            }
            // Helia sharded "many" (300 links over the threshold) into a HAMT
            Cid many = link(store, root, "many");
            assertThat(UnixFsData.decode(DagPb.decode(store.get(many).data()).data()).type())
                    .isEqualTo(UnixFsData.Type.HAMT_SHARD);

            try (Gateway g =
                    Gateway.start(
                            store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                HttpClient http = HttpClient.newHttpClient();
                int longest = 0;
                for (Map<String, Object> f : files) {
                    String path = (String) f.get("path");
                    HttpResponse<byte[]> r = car(http, g, root, path);
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                    String[] segments =
                            r.headers().firstValue("X-Ipfs-Roots").orElseThrow().split(",");
                    Cid target = Cid.parse(segments[segments.length - 1]);
                    assertThat(target).as(path).isEqualTo(heliaCids.get(path));
                    Map<Cid, Block> blocks = blocks(r.body());
                    if (path.startsWith("many/")) {
                        longest = Math.max(longest, blocks.size());
                    }
                    ByteArrayOutputStream content = new ByteArrayOutputStream();
                    UnixFsFile.write(source(blocks), target, content);
                    assertThat(sha256(content.toByteArray()))
                            .as(path)
                            .isEqualTo(added.get("sha256").get(path).asText());
                }
                // some entry sat below a sub-shard: root, many, a sub-shard node, the file
                assertThat(longest).isGreaterThanOrEqualTo(4);
                HttpResponse<byte[]> missing = car(http, g, root, "many/nope.txt");
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(new String(missing.body(), StandardCharsets.UTF_8).trim())
                        .isEqualTo("no 'nope.txt' in /ipfs/" + root + "/many");
            }
        }
    }

    private static HttpResponse<byte[]> car(HttpClient http, Gateway g, Cid root, String path)
            throws Exception {
        StringBuilder p = new StringBuilder();
        for (String seg : path.split("/")) {
            p.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8));
        }
        return http.send(
                HttpRequest.newBuilder(
                                URI.create(g.baseUri() + "/ipfs/" + root + p + "?format=car"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<Cid, Block> blocks(byte[] car) throws Exception {
        Map<Cid, Block> out = new HashMap<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                assertThat(s.block().cid().verifies(s.block().data())).isTrue();
                out.put(s.block().cid(), s.block());
            }
        }
        return out;
    }

    private static Cid link(TieredStore store, Cid dir, String name) {
        for (DagPb.Link l : DagPb.decode(store.get(dir).data()).links()) {
            if (name.equals(l.name())) {
                return l.hash();
            }
        }
        throw new AssertionError(name + " not in " + dir);
    }

    private static BlockSource source(Map<Cid, Block> blocks) {
        return blocks::get;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
