package io.ipdm.lakes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.gateway.Gateway;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.UnixFsData;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake put DIR} of a directory of 8,000 files writes a HAMT shard that Helia reads and that
 * Helia's own importer writes identically: Helia, fetching our blocks over Bitswap, lists the 8,000
 * entries ({@code @helia/unixfs ls}: names, CIDs, sizes) and cats a file by path; then Helia's
 * {@code addAll} of the same files (default options: 256 KiB links-bytes threshold, fanout 256)
 * gives the same root CID. Our gateway serves the entries by path. Skips when node or the npm
 * modules are missing.
 */
class LakePutHamtHeliaTest {
    private static final Duration T = Duration.ofSeconds(300);
    // over Helia's 256 KiB links threshold (about 5,600 of these names), so the directory is a
    // shard; HamtDirectoryTest covers 20,000 entries without the npm round trips
    private static final int N = 8_000;

    /** peer.mjs's content(seed, size): xorshift32 words, little-endian. */
    static byte[] content(int seed, int size) {
        ByteBuffer b = ByteBuffer.allocate((size + 3) / 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        int x = seed == 0 ? 1 : seed;
        while (b.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b.putInt(x);
        }
        return java.util.Arrays.copyOf(b.array(), size);
    }

    @Test
    void heliaReadsOurShardAndItsImporterWritesTheSameCids(@TempDir Path tmp) throws Exception {
        assumeTrue(
                JsPeer.available(JsPeer.Service.HELIA),
                "node or the Helia npm modules are missing");
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("many"));
        List<Map<String, Object>> files = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String name = String.format("f-%05d.txt", i);
            int size = 8 + i % 57;
            byte[] c = content(i + 1, size);
            Files.write(tree.resolve("many").resolve(name), c);
            files.add(Map.of("path", "many/" + name, "seed", i + 1, "size", size));
            lines.add(name + " " + Block.of(Multicodec.RAW, c).cid() + " " + size);
        }
        Files.write(tree.resolve("readme.txt"), content(99, 100));
        files.add(Map.of("path", "readme.txt", "seed", 99, "size", 100));
        java.util.Collections.sort(lines);

        try (LakeCommands lake =
                        LakeCommands.open(tmp.resolve("lake"), StorageConfig.fromMap(Map.of()));
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
                JsPeer helia = JsPeer.start(JsPeer.Service.HELIA)) {
            Cid root = lake.put(tree);
            Cid many = null;
            for (DagPb.Link l : DagPb.decode(lake.store().get(root).data()).links()) {
                if (l.name().equals("many")) {
                    many = l.hash();
                }
            }
            assertThat(UnixFsData.decode(DagPb.decode(lake.store().get(many).data()).data()).type())
                    .isEqualTo(UnixFsData.Type.HAMT_SHARD);

            // Helia reads our blocks over Bitswap
            Identify.install(host, "ipdm-lava-lakes/test", true);
            try (BitswapNetwork bitswap =
                    BitswapNetwork.start(
                            host,
                            BlockStore.of(lake.store()),
                            BitswapConfig.defaults(),
                            Clock.systemUTC())) {
                Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
                helia.call("dial", T, "addr", addr.toString());
                JsonNode ls = helia.call("ls", T, "cid", root.toString(), "path", "many");
                assertThat(ls.get("count").asInt()).isEqualTo(N);
                assertThat(ls.get("first").get(0).asText()).isEqualTo(lines.getFirst());
                assertThat(ls.get("sha256").asText())
                        .isEqualTo(
                                sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
                JsonNode cat =
                        helia.call("cat", T, "cid", root.toString(), "path", "many/f-07345.txt");
                assertThat(cat.get("sha256").asText())
                        .isEqualTo(sha256(content(7346, 8 + 7345 % 57)));
            }

            // Helia's importer, same files, default sharding options: the same CIDs
            JsonNode added = helia.call("addTree", T, "files", files);
            assertThat(Cid.parse(added.get("root").asText())).isEqualTo(root);
            for (JsonNode e : added.get("entries")) {
                if (e.get("path").asText().equals("many")) {
                    assertThat(Cid.parse(e.get("cid").asText())).isEqualTo(many);
                }
            }

            // and our gateway serves entries by path through the shard
            try (Gateway g =
                    Gateway.start(
                            lake.store(),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<byte[]> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        g.baseUri()
                                                                + "/ipfs/"
                                                                + root
                                                                + "/many/f-00042.txt?format=car"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                String[] segs = r.headers().firstValue("X-Ipfs-Roots").orElseThrow().split(",");
                assertThat(Cid.parse(segs[segs.length - 1]))
                        .isEqualTo(Block.of(Multicodec.RAW, content(43, 8 + 42 % 57)).cid());
            }
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
