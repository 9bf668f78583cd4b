package io.ipdm.mesh.gossipsub;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Racing dials between two peers (both directions and a second dial from one side): the host keeps
 * one connection and drops the others; the adapter must follow the kept one so gossip still flows
 * both ways.
 */
class GossipSubRedialTest {
    private static final String TOPIC = "redial";
    private final Host a = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host b = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @RepeatedTest(10)
    void gossipFlowsBothWaysAfterRacingDials() throws Exception {
        GossipConfig cfg = GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200));
        GossipSub ga = GossipSub.install(a, null, cfg, ScoreParams.defaults());
        GossipSub gb = GossipSub.install(b, null, cfg, ScoreParams.defaults());
        List<String> gotA = new CopyOnWriteArrayList<>();
        List<String> gotB = new CopyOnWriteArrayList<>();
        ga.subscribe(TOPIC, (m, f) -> gotA.add(new String(m.data(), StandardCharsets.UTF_8)));
        gb.subscribe(TOPIC, (m, f) -> gotB.add(new String(m.data(), StandardCharsets.UTF_8)));
        Multiaddr la = a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr lb = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        CompletableFuture.allOf(a.dial(lb), b.dial(la), a.dial(lb))
                .handle((v, e) -> null)
                .get(20, TimeUnit.SECONDS);
        // Both hosts must settle on the same connection (Host ranks duplicates alike on both
        // ends); until then a message may go out on one that the other side is closing.
        await("one shared connection", () -> sameSingleConnection(a, b));
        await(
                "mesh both ways",
                () ->
                        ga.meshPeers(TOPIC).contains(b.peerId())
                                && gb.meshPeers(TOPIC).contains(a.peerId()));
        ga.publish(TOPIC, "from a".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        gb.publish(TOPIC, "from b".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        await("b got a's message", () -> gotB.contains("from a"));
        await("a got b's message", () -> gotA.contains("from b"));
        assertThat(a.connections()).hasSize(1);
        assertThat(b.connections()).hasSize(1);
        assertThat(sameSingleConnection(a, b)).isTrue();
    }

    /** Each host holds exactly one open connection, and it is the same TCP connection. */
    private static boolean sameSingleConnection(Host a, Host b) {
        var ca = List.copyOf(a.connections());
        var cb = List.copyOf(b.connections());
        return ca.size() == 1
                && cb.size() == 1
                && ca.get(0).isOpen()
                && cb.get(0).isOpen()
                && ca.get(0).localAddress().equals(cb.get(0).remoteAddress())
                && ca.get(0).remoteAddress().equals(cb.get(0).localAddress());
    }
}
