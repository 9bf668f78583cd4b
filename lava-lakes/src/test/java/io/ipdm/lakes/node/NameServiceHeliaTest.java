package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helia peer (js-libp2p kad-dht with the npm ipns validator, {@code @helia/ipns}'s resolver)
 * resolves the name an IPDM node published over the DHT, and sees the republished sequence; the
 * node in turn resolves a record js made and put. Skips when node or the npm modules are missing.
 */
class NameServiceHeliaTest {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void heliaResolvesTheNameOurNodePublished(@TempDir Path dir) throws Exception {
        try (JsPeer helia =
                        JsPeer.start(
                                JsPeer.Service.KAD, JsPeer.Service.HELIA, JsPeer.Service.IPNS);
                LakeNode node =
                        LakeNode.start(
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir)
                                        .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                                        .bootstrap(List.of(helia.addr()))
                                        .build(),
                                IpfsNetwork::install)) {
            NameServiceTest.awaitRoutingTables(node);
            Block hello = Block.of(Multicodec.RAW, "named".getBytes(StandardCharsets.UTF_8));
            NameService.Published p =
                    node.names()
                            .publish(
                                    "/ipfs/" + hello.cid(),
                                    Duration.ofHours(1),
                                    Duration.ofMinutes(1));
            assertThat(p.put().storedBy()).contains(PeerId.parse(helia.peerId()));
            JsonNode resolved =
                    helia.call("ipns-resolve", T, "name", node.mesh().peerId().toString());
            assertThat(resolved.get("value").asText()).isEqualTo("/ipfs/" + hello.cid());
            assertThat(resolved.get("sequence").asText()).isEqualTo("0");

            Block next = Block.of(Multicodec.RAW, "renamed".getBytes(StandardCharsets.UTF_8));
            node.names().publish("/ipfs/" + next.cid(), Duration.ofHours(1), Duration.ZERO);
            JsonNode again = helia.call("ipns-resolve", T, "name", node.mesh().peerId().toString());
            assertThat(again.get("value").asText()).isEqualTo("/ipfs/" + next.cid());
            assertThat(again.get("sequence").asText()).isEqualTo("1");

            // and a record js made and put through its DHT, resolved by our node
            JsonNode made =
                    helia.call(
                            "ipns-create",
                            T,
                            "value",
                            "/ipfs/" + hello.cid(),
                            "seq",
                            5,
                            "lifetimeMs",
                            600_000);
            helia.call(
                    "put-value",
                    T,
                    "key",
                    made.get("key").asText(),
                    "value",
                    made.get("record").asText());
            IpnsRecord ours = node.names().resolve(PeerId.parse(made.get("name").asText()));
            assertThat(ours.sequence()).isEqualTo(5);
            assertThat(ours.value()).isEqualTo("/ipfs/" + hello.cid());
        }
    }
}
