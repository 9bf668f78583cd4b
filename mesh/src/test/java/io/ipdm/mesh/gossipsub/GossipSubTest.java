package io.ipdm.mesh.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.Await;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GossipSubTest {
    private static final String TOPIC = "ipdm/test";
    private final List<Host> hosts = new ArrayList<>();
    private final List<GossipSub> routers = new ArrayList<>();
    private final List<Map<String, AtomicInteger>> received = new ArrayList<>();

    @AfterEach
    void close() {
        hosts.forEach(Host::close);
    }

    private GossipSub node() {
        Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Identify id = Identify.install(h, "ipdm-test", true);
        GossipSub g =
                GossipSub.install(
                        h,
                        id,
                        GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200)),
                        ScoreParams.defaults());
        Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
        g.subscribe(
                TOPIC,
                (m, from) ->
                        got.computeIfAbsent(
                                        new String(m.data(), StandardCharsets.UTF_8),
                                        k -> new AtomicInteger())
                                .incrementAndGet());
        hosts.add(h);
        routers.add(g);
        received.add(got);
        return g;
    }

    @Test
    void lineOfNodesDeliversEveryMessageExactlyOnce() throws Exception {
        int n = 5;
        for (int i = 0; i < n; i++) {
            node();
        }
        // A line: messages must be forwarded through the mesh, not only flood-published to
        // neighbours.
        for (int i = 1; i < n; i++) {
            Multiaddr prev =
                    hosts.get(i - 1).listenAddrs().get(0).withPeerId(hosts.get(i - 1).peerId());
            hosts.get(i).dial(prev).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < n; i++) {
            int idx = i;
            int expected = (i == 0 || i == n - 1) ? 1 : 2;
            Await.await(
                    "mesh of node " + i,
                    () -> routers.get(idx).meshPeers(TOPIC).size() == expected);
        }
        for (int i = 0; i < n; i++) {
            routers.get(i)
                    .publish(TOPIC, ("m" + i).getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < n; i++) {
            int idx = i;
            Await.await(
                    "node " + i + " receives " + (n - 1), () -> received.get(idx).size() == n - 1);
        }
        Thread.sleep(
                600); // a few heartbeats of gossip: late duplicates must not be delivered again
        for (int i = 0; i < n; i++) {
            assertThat(received.get(i).keySet()).doesNotContain("m" + i).hasSize(n - 1);
            assertThat(received.get(i).values()).allMatch(c -> c.get() == 1);
        }
        GossipMetrics m = routers.get(2).metrics();
        assertThat(m.meshSizes()).containsEntry(TOPIC, 2);
        assertThat(m.invalid()).isZero();
    }
}
