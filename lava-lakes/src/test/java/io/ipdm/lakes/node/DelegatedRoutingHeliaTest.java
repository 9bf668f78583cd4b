package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway node's {@code /routing/v1} checked by Helia's own client from npm
 * (@helia/delegated-routing-v1-http-api-client): the providers of a block the node holds and the
 * node's peer record, the DHT servers closest to a second node's id, an IPNS record put and read
 * back; then a Helia node whose only routing is that client (no DHT, no bootstrap) finds the node
 * through it and fetches the block by Bitswap. Skips when node or the npm modules are missing.
 */
class DelegatedRoutingHeliaTest {
    private static Path js() {
        Path js = Path.of("src/test/js");
        assumeTrue(
                Files.isDirectory(
                        js.resolve("node_modules/@helia/delegated-routing-v1-http-api-client")),
                "npm clients not installed: run .ci/setup.d/lava-lakes.sh (npm ci in"
                        + " lava-lakes/src/test/js)");
        return js;
    }

    private static LakeNode gatewayNode(Path dir) throws Exception {
        return LakeNode.start(
                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY), dir)
                        .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                        .build(),
                IpfsNetwork::install);
    }

    @SuppressWarnings("unchecked")
    @Test
    void heliasClientFindsTheNodeAsProviderAndPeerAndRoundTripsAnIpnsRecord(@TempDir Path dir)
            throws Exception {
        Path js = js();
        try (LakeNode node = gatewayNode(dir.resolve("a"));
                LakeNode other =
                        LakeNode.start(
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("b"))
                                        .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                                        .bootstrap(List.of(node.mesh().addresses().get(0)))
                                        .build(),
                                IpfsNetwork::install)) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (node.status().routingTableSize() == 0 && System.nanoTime() < end) {
                Thread.sleep(100); // until the gateway's DHT knows the other server
            }
            Block b = Block.of(Multicodec.RAW, "routed by HTTP".getBytes(StandardCharsets.UTF_8));
            node.store().put(b);
            Ed25519KeyPair key = Ed25519KeyPair.generate();
            IpnsRecord rec =
                    IpnsRecord.create(
                            key,
                            "/ipfs/" + b.cid(),
                            Instant.now().plus(Duration.ofHours(1)),
                            3,
                            Duration.ofMinutes(5));
            Map<String, Object> r =
                    run(
                            js,
                            "client",
                            node.gateway().baseUri().toString(),
                            b.cid().toString(),
                            node.mesh().peerId().toBase58(),
                            other.mesh().peerId().toBase58(),
                            key.peerId().toBase58(),
                            Base64.getEncoder().encodeToString(rec.entry()));
            String self = node.mesh().peerId().toBase58();
            String addr = node.mesh().addresses().get(0).withoutPeerId().toString();
            List<Map<String, Object>> providers = (List<Map<String, Object>>) r.get("providers");
            assertThat(providers).hasSize(1);
            assertThat(providers.get(0).get("id")).isEqualTo(self);
            assertThat((List<Object>) providers.get(0).get("addrs")).contains(addr);
            assertThat(providers.get(0).get("protocols")).isEqualTo(List.of("transport-bitswap"));
            List<Map<String, Object>> peers = (List<Map<String, Object>>) r.get("peers");
            assertThat(peers).hasSize(1);
            assertThat(peers.get(0).get("id")).isEqualTo(self);
            assertThat((List<Object>) peers.get(0).get("addrs")).contains(addr);
            assertThat((List<Object>) peers.get(0).get("protocols"))
                    .contains("transport-bitswap", "/ipfs/bitswap/1.2.0");
            assertThat(r.get("peersFiltered")).isEqualTo(1L);
            List<Map<String, Object>> closest = (List<Map<String, Object>>) r.get("closest");
            assertThat(closest)
                    .extracting(m -> m.get("id"))
                    .contains(other.mesh().peerId().toBase58());
            assertThat(Base64.getDecoder().decode((String) r.get("ipns"))).isEqualTo(rec.entry());
        }
    }

    @Test
    void heliaRoutedOnlyThroughTheGatewayFetchesABlockByBitswap(@TempDir Path dir)
            throws Exception {
        Path js = js();
        try (LakeNode node = gatewayNode(dir)) {
            byte[] data = new byte[200_000];
            new Random(5).nextBytes(data);
            Block b = Block.of(Multicodec.RAW, data);
            node.store().put(b);
            Map<String, Object> r =
                    run(js, "helia", node.gateway().baseUri().toString(), b.cid().toString());
            assertThat(r.get("size")).isEqualTo((long) data.length);
            assertThat(r.get("sha256"))
                    .isEqualTo(
                            HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            assertThat(r.get("connected")).isEqualTo(List.of(node.mesh().peerId().toBase58()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(Path js, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "delegated-routing.mjs"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("delegated-routing", ".err");
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .directory(js.toFile())
                            .redirectError(err.toFile())
                            .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String why = output + Files.readString(err);
            assertThat(p.exitValue()).as(why).isZero();
            String last = output.trim().substring(output.trim().lastIndexOf('\n') + 1);
            return (Map<String, Object>) DagJson.decode(last);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
