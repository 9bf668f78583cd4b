package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage node on a {@code /ws} listener, as {@code ipdm node --listen /ip4/.../tcp/N/ws} runs
 * it, and Helia 7 on js-libp2p's {@code @libp2p/websockets}: Helia dials the node over WebSockets
 * and fetches blocks by Bitswap; the node dials Helia's {@code /ws} listener and reads a block only
 * Helia holds. Skips when node or the npm modules are missing.
 */
class NodeWebSocketHeliaTest {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void heliaFetchesBlocksFromANodeListeningOnWs(@TempDir Path dir) throws Exception {
        try (JsPeer helia = JsPeer.start(JsPeer.Service.WEBSOCKETS, JsPeer.Service.HELIA);
                LakeNode node = storageNode(dir, "/ip4/127.0.0.1/tcp/0/ws", List.of())) {
            Multiaddr ws = node.mesh().addresses().get(0);
            assertThat(ws.has(Protocol.WS)).isTrue();
            assertThat(node.status().addresses()).contains(ws.toString());

            Block hello =
                    Block.of(Multicodec.RAW, "over websockets".getBytes(StandardCharsets.UTF_8));
            byte[] big = new byte[1 << 20];
            new Random(3).nextBytes(big);
            Block large = Block.of(Multicodec.RAW, big);
            node.store().put(hello);
            node.store().put(large);

            JsonNode dialed = helia.call("dial", T, "addr", ws.toString());
            assertThat(dialed.path("peer").asText()).isEqualTo(node.mesh().peerId().toString());
            for (Block b : List.of(hello, large)) {
                JsonNode got = helia.call("get", T, "cid", b.cid().toString());
                assertThat(Base64.getDecoder().decode(got.get("data").asText()))
                        .isEqualTo(b.data());
            }
            Connection c = node.mesh().host().connections().iterator().next();
            assertThat(c.remotePeer()).isEqualTo(PeerId.parse(helia.peerId()));
            assertThat(c.isWebSocket()).isTrue();
        }
    }

    /** Helia on its default libp2p stack ({@code @helia/libp2p}, WebSockets included). */
    @Test
    void heliaOnItsDefaultStackFetchesOverWs(@TempDir Path dir) throws Exception {
        try (JsPeer helia = JsPeer.start(JsPeer.Service.HELIA, JsPeer.Service.LIBP2P_DEFAULTS);
                LakeNode node = storageNode(dir, "/ip4/127.0.0.1/tcp/0/ws", List.of())) {
            Block hello =
                    Block.of(Multicodec.RAW, "default stack".getBytes(StandardCharsets.UTF_8));
            node.store().put(hello);
            helia.call("dial", T, "addr", node.mesh().addresses().get(0).toString());
            JsonNode got = helia.call("get", T, "cid", hello.cid().toString());
            assertThat(Base64.getDecoder().decode(got.get("data").asText()))
                    .isEqualTo(hello.data());
            assertThat(node.mesh().host().connections().iterator().next().isWebSocket()).isTrue();
        }
    }

    @Test
    void aNodeReadsABlockFromHeliaOverItsWsListener(@TempDir Path dir) throws Exception {
        try (JsPeer helia = JsPeer.start(JsPeer.Service.WEBSOCKETS, JsPeer.Service.HELIA)) {
            byte[] data = "held by Helia, reached over /ws".getBytes(StandardCharsets.UTF_8);
            Cid cid =
                    Cid.parse(
                            helia.call(
                                            "putRaw",
                                            T,
                                            "data",
                                            Base64.getEncoder().encodeToString(data))
                                    .get("cid")
                                    .asText());
            try (LakeNode node =
                    storageNode(dir, "/ip4/127.0.0.1/tcp/0", List.of(helia.wsAddr()))) {
                assertThat(node.reads().get(cid).data()).isEqualTo(data);
                Connection c = node.mesh().host().connections().iterator().next();
                assertThat(c.isWebSocket()).isTrue();
                assertThat(c.remoteAddress()).isEqualTo(helia.wsAddr().withoutPeerId());
            }
        }
    }

    /** A storage node with the IPFS protocols, listening on {@code listen}. */
    private static LakeNode storageNode(Path dir, String listen, List<Multiaddr> bootstrap)
            throws IOException {
        return LakeNode.start(
                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir)
                        .listen(List.of(Multiaddr.parse(listen)))
                        .bootstrap(bootstrap)
                        .build(),
                IpfsNetwork::install);
    }
}
