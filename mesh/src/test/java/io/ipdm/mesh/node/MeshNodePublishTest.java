package io.ipdm.mesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code ipdm node --bootstrap B --topic t --publish t=TEXT}: the message must reach the bootstrap
 * peer B. It used to be published the moment the node started, before the connection to B existed
 * and before B's subscription arrived, so it went to nobody; the mesh formed a heartbeat later
 * ({@code mesh={t=1} published=1}) and gossip never repairs a message for a mesh peer.
 */
class MeshNodePublishTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @Test
    void publishFromTheCommandLineReachesTheBootstrapPeer() throws Exception {
        MeshNodeConfig bCfg =
                MeshNodeConfig.of(List.of(ANY), List.of(), List.of("t"))
                        .withGossip(GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200)));
        try (MeshNode b = MeshNode.start(bCfg)) {
            List<String> got = new CopyOnWriteArrayList<>();
            b.subscribe("t", (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
            CountDownLatch stop = new CountDownLatch(1);
            AtomicInteger code = new AtomicInteger(-1);
            Thread publisher =
                    new Thread(
                            () -> {
                                try {
                                    code.set(
                                            MeshNodeMain.run(
                                                    new String[] {
                                                        "--listen", ANY.toString(),
                                                        "--bootstrap",
                                                                b.addresses().get(0).toString(),
                                                        "--topic", "t",
                                                        "--publish", "t=hello from the cli",
                                                        "--metrics-interval", "1"
                                                    },
                                                    ps,
                                                    ps,
                                                    stop));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            publisher.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(got)
                        .as("received by the bootstrap peer")
                        .containsExactly("hello from the cli");
                assertThat(b.metrics().messagesReceived()).isEqualTo(1);
            } finally {
                stop.countDown();
                publisher.join(10_000);
            }
            assertThat(code.get()).isZero();
        }
    }

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
