package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multicodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Cache-Control: only-if-cached} on a gateway node that reads the network (trustless gateway
 * spec): 412 while the block is only on a peer, 200 once a plain request has fetched it into the
 * node's lake.
 */
class NodeGatewayOnlyIfCachedTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(URI uri, boolean onlyIfCached) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (onlyIfCached) {
            b.header("Cache-Control", "no-transform, only-if-cached");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void onlyIfCachedIsRefusedUntilTheBlockIsInTheLake(@TempDir Path dir) throws Exception {
        Block b = Block.of(Multicodec.RAW, "held by a peer".getBytes(StandardCharsets.UTF_8));
        try (LakeNode storage =
                        LakeNode.start(
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("a"))
                                        .listen(List.of(ANY))
                                        .build(),
                                IpfsNetwork::install);
                LakeNode gateway =
                        LakeNode.start(
                                NodeConfig.builder(EnumSet.of(NodeRole.GATEWAY), dir.resolve("g"))
                                        .listen(List.of(ANY))
                                        .bootstrap(List.of(storage.mesh().addresses().get(0)))
                                        .build(),
                                IpfsNetwork::install)) {
            storage.store().put(b);
            URI raw = gateway.gateway().baseUri().resolve("/ipfs/" + b.cid() + "?format=raw");

            HttpResponse<byte[]> refused = get(raw, true);
            assertThat(refused.statusCode()).isEqualTo(412);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                    .isEqualTo(
                            "block "
                                    + b.cid()
                                    + " is not held by this gateway, and Cache-Control:"
                                    + " only-if-cached forbids fetching it; retry without"
                                    + " only-if-cached\n");
            assertThat(gateway.store().has(b.cid())).isFalse();

            HttpResponse<byte[]> fetched = get(raw, false);
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(b.data());

            HttpResponse<byte[]> cached = get(raw, true);
            assertThat(cached.statusCode()).isEqualTo(200);
            assertThat(cached.body()).isEqualTo(b.data());
            // identity CIDs need no block: always answerable
            assertThat(
                            get(
                                            gateway.gateway()
                                                    .baseUri()
                                                    .resolve("/ipfs/bafkqaaa?format=raw"),
                                            true)
                                    .statusCode())
                    .isEqualTo(200);
        }
    }
}
