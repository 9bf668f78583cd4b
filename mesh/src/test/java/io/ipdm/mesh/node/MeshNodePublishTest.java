package io.ipdm.mesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message published right after start must reach the bootstrap peer B (what {@code ipdm node
 * --bootstrap B --topic t --publish t=TEXT} does; its CLI test is in dataflow's NodeCommandTest).
 * It used to be published the moment the node started, before the connection to B existed and
 * before B's subscription arrived, so it went to nobody; the mesh formed a heartbeat later ({@code
 * mesh={t=1} published=1}) and gossip never repairs a message for a mesh peer.
 */
class MeshNodePublishTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @Test
    void publishWhenSubscribedRightAfterStartReachesTheBootstrapPeer() throws Exception {
        GossipConfig fast = GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200));
        try (MeshNode b =
                MeshNode.start(
                        MeshNodeConfig.of(List.of(ANY), List.of(), List.of("t"))
                                .withGossip(fast))) {
            List<String> got = new CopyOnWriteArrayList<>();
            b.subscribe("t", (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
            try (MeshNode a =
                    MeshNode.start(
                            MeshNodeConfig.of(List.of(ANY), b.addresses(), List.of("t"))
                                    .withGossip(fast))) {
                // Called before the bootstrap dial completed: it waits for b's subscription.
                a.publishWhenSubscribed("t", "early".getBytes(StandardCharsets.UTF_8))
                        .get(20, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(got).containsExactly("early");
                assertThat(a.gossip().topicPeers("t")).containsExactly(b.peerId());
            }
        }
    }
}
