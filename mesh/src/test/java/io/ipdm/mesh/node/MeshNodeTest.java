package io.ipdm.mesh.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshNodeTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @Test
    void bootstrapsSubscribesPublishesAndReportsMetrics(@TempDir Path dir) throws Exception {
        GossipConfig fast = GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200));
        MeshNodeConfig aCfg =
                MeshNodeConfig.of(List.of(ANY), List.of(), List.of("t"))
                        .withKeyFile(dir.resolve("a.key"))
                        .withGossip(fast);
        try (MeshNode a = MeshNode.start(aCfg)) {
            try (MeshNode b =
                    MeshNode.start(
                            MeshNodeConfig.of(List.of(ANY), a.addresses(), List.of())
                                    .withGossip(fast))) {
                List<String> got = new CopyOnWriteArrayList<>();
                b.subscribe(
                        "t", (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!a.gossip().meshPeers("t").contains(b.peerId())) {
                    assertThat(System.nanoTime()).as("mesh formed").isLessThan(deadline);
                    Thread.sleep(20);
                }
                a.publish("t", "hello".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                while (got.isEmpty()) {
                    assertThat(System.nanoTime()).as("delivered").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(got).containsExactly("hello");
                NodeMetrics m = b.metrics();
                assertThat(m.connections()).isEqualTo(1);
                assertThat(m.messagesReceived()).isEqualTo(1);
                assertThat(m.gossip().meshSizes()).containsEntry("t", 1);
                assertThat(a.metrics().gossip().published()).isEqualTo(1);
            }
        }
        // The identity persists in the key file.
        try (MeshNode again = MeshNode.start(aCfg)) {
            assertThat(again.peerId().toBase58()).isNotBlank();
            try (MeshNode third = MeshNode.start(aCfg.withGossip(GossipConfig.defaults()))) {
                assertThat(third.peerId()).isEqualTo(again.peerId());
            }
        }
    }

    @Test
    void rejectsBootstrapWithoutPeerId() throws Exception {
        assertThatThrownBy(
                        () ->
                                MeshNodeConfig.of(
                                        List.of(ANY),
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")),
                                        List.of()))
                .hasMessage(
                        "bootstrap address /ip4/127.0.0.1/tcp/1 needs a /p2p/<peer id> part so the peer can be"
                                + " authenticated");
    }
}
