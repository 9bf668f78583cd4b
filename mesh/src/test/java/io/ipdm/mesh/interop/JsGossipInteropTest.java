package io.ipdm.mesh.interop;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.gossipsub.GossipSub;
import io.ipdm.mesh.gossipsub.ScoreParams;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A mixed mesh of three Java and two js-libp2p gossipsub nodes. */
class JsGossipInteropTest {
    private static final String TOPIC = "ipdm/interop";
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void everyMessageReachesEverySubscriberExactlyOnce() throws Exception {
        List<Host> hosts = new ArrayList<>();
        List<GossipSub> routers = new ArrayList<>();
        List<Map<String, AtomicInteger>> javaGot = new ArrayList<>();
        try (JsPeer js0 = JsPeer.start();
                JsPeer js1 = JsPeer.start()) {
            for (int i = 0; i < 3; i++) {
                Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
                hosts.add(h);
                h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
                Identify id = Identify.install(h, "ipdm-mesh/interop", true);
                GossipSub g =
                        GossipSub.install(
                                h,
                                id,
                                GossipConfig.defaults().withHeartbeat(Duration.ofMillis(300)),
                                ScoreParams.defaults());
                Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
                g.subscribe(
                        TOPIC,
                        (m, from) ->
                                got.computeIfAbsent(
                                                new String(m.data(), StandardCharsets.UTF_8),
                                                k -> new AtomicInteger())
                                        .incrementAndGet());
                routers.add(g);
                javaGot.add(got);
            }
            js0.call("subscribe", T, "topic", TOPIC);
            js1.call("subscribe", T, "topic", TOPIC);
            // Java<->Java, Java->JS, JS->Java and JS->JS links; no node is connected to every
            // other.
            dial(hosts.get(1), hosts.get(0));
            dial(hosts.get(2), hosts.get(1));
            hosts.get(0).dial(js0.addr()).get(20, TimeUnit.SECONDS);
            js1.call("dial", T, "addr", addr(hosts.get(2)).toString());
            js1.call("dial", T, "addr", js0.addr().toString());

            // Wait for every node to see its neighbours' subscriptions and build a mesh.
            await(
                    "java meshes",
                    () -> routers.stream().allMatch(r -> !r.meshPeers(TOPIC).isEmpty()));
            await("js0 mesh", () -> js0.call("mesh", T, "topic", TOPIC).path("peers").size() >= 2);
            await("js1 mesh", () -> js1.call("mesh", T, "topic", TOPIC).path("peers").size() >= 2);

            Set<String> all = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 3; i++) {
                    String m = "java" + i + "-" + round;
                    routers.get(i)
                            .publish(TOPIC, m.getBytes(StandardCharsets.UTF_8))
                            .get(10, TimeUnit.SECONDS);
                    all.add(m);
                }
                for (JsPeer js : List.of(js0, js1)) {
                    String m = (js == js0 ? "js0-" : "js1-") + round;
                    js.call(
                            "publish",
                            T,
                            "topic",
                            TOPIC,
                            "data",
                            Base64.getEncoder().encodeToString(m.getBytes(StandardCharsets.UTF_8)));
                    all.add(m);
                }
            }

            for (int i = 0; i < 3; i++) {
                String self = "java" + i + "-";
                Map<String, AtomicInteger> got = javaGot.get(i);
                await("java" + i + " receives all", () -> got.size() == all.size() - 3);
                assertThat(got.keySet()).noneMatch(k -> k.startsWith(self));
            }
            Map<String, Integer> js0Got = awaitJs(js0, all.size() - 3);
            Map<String, Integer> js1Got = awaitJs(js1, all.size() - 3);
            Thread.sleep(1500); // let gossip settle: no message may arrive twice
            for (Map<String, AtomicInteger> got : javaGot) {
                assertThat(got.values()).allMatch(c -> c.get() == 1);
            }
            assertThat(js0Got.keySet()).noneMatch(k -> k.startsWith("js0-"));
            assertThat(js1Got.keySet()).noneMatch(k -> k.startsWith("js1-"));
            assertThat(js0.drain(e -> e.path("event").asText().equals("message"))).isEmpty();
            assertThat(js1.drain(e -> e.path("event").asText().equals("message"))).isEmpty();
            for (GossipSub r : routers) {
                assertThat(r.metrics().invalid()).isZero();
            }
        } finally {
            hosts.forEach(Host::close);
        }
    }

    /**
     * js-libp2p negotiates /meshsub/1.2.0 with us: IDONTWANT flows both ways for large messages (js
     * sends them to us, and ours reach a 1.2 peer); when js leaves the topic its PRUNE takes it out
     * of our mesh while the connection stays.
     */
    @Test
    void idontwantBothWaysAndPruneWhenJsLeaves() throws Exception {
        List<Host> hosts = new ArrayList<>();
        List<GossipSub> routers = new ArrayList<>();
        try (JsPeer js = JsPeer.start()) {
            for (int i = 0; i < 2; i++) {
                Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
                hosts.add(h);
                h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
                Identify id = Identify.install(h, "ipdm-mesh/interop", true);
                GossipSub g =
                        GossipSub.install(
                                h,
                                id,
                                GossipConfig.builder()
                                        .heartbeatInterval(Duration.ofMillis(300))
                                        .idontwantMinSize(1024)
                                        .build(),
                                ScoreParams.defaults());
                g.subscribe(TOPIC, (m, from) -> {});
                routers.add(g);
            }
            js.call("subscribe", T, "topic", TOPIC);
            GossipSub j = routers.get(0);
            GossipSub k = routers.get(1);
            // a triangle: J-K, J-js, K-js
            dial(hosts.get(0), hosts.get(1));
            hosts.get(0).dial(js.addr()).get(20, TimeUnit.SECONDS);
            js.call("dial", T, "addr", addr(hosts.get(1)).toString());
            io.ipdm.mesh.identity.PeerId jsId = js.addr().peerId();
            await(
                    "meshes",
                    () ->
                            j.meshPeers(TOPIC).size() == 2
                                    && k.meshPeers(TOPIC).size() == 2
                                    && js.call("mesh", T, "topic", TOPIC).path("peers").size()
                                            == 2);
            // Whether a given message makes js tell J (or J tell js) depends on which copy
            // arrives first; keep publishing until both directions happened (20 at least).
            byte[] big = new byte[8 * 1024];
            int sent = 0;
            while (sent < 20
                    || (sent < 400
                            && (j.metrics().idontwantReceived() == 0
                                    || j.metrics().idontwantSent() == 0))) {
                big[0] = (byte) sent;
                big[1] = (byte) (sent >> 8);
                k.publish(TOPIC, big.clone()).get(10, TimeUnit.SECONDS);
                sent++;
                if (sent >= 20) {
                    Thread.sleep(50);
                }
            }
            int published = sent;
            await("J receives all", () -> j.metrics().delivered() == published);
            // js got messages from K and told J (its other mesh peer) it has them; J got them
            // from K and told js.
            assertThat(j.metrics().idontwantReceived()).isPositive();
            assertThat(j.metrics().idontwantSent()).isPositive();
            assertThat(j.metrics().invalid()).isZero();

            js.call("unsubscribe", T, "topic", TOPIC);
            await(
                    "js pruned from our meshes",
                    () ->
                            !j.meshPeers(TOPIC).contains(jsId)
                                    && !k.meshPeers(TOPIC).contains(jsId)
                                    && !j.topicPeers(TOPIC).contains(jsId));
            assertThat(hosts.get(0).connections()).extracting(c -> c.remotePeer()).contains(jsId);
            assertThat(j.meshPeers(TOPIC)).containsExactly(hosts.get(1).peerId());
        } finally {
            hosts.forEach(Host::close);
        }
    }

    private static Map<String, Integer> awaitJs(JsPeer js, int count) {
        Map<String, Integer> got = new HashMap<>();
        for (int i = 0; i < count; i++) {
            JsonNode e = js.await(x -> x.path("event").asText().equals("message"), T);
            assertThat(e.path("signed").asBoolean()).isTrue();
            String data =
                    new String(
                            Base64.getDecoder().decode(e.path("data").asText()),
                            StandardCharsets.UTF_8);
            got.merge(data, 1, Integer::sum);
        }
        assertThat(got.values()).allMatch(c -> c == 1);
        return got;
    }

    private static Multiaddr addr(Host h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId());
    }

    private static void dial(Host from, Host to) throws Exception {
        from.dial(addr(to)).get(20, TimeUnit.SECONDS);
    }
}
