package io.ipdm.mesh.interop;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.gossipsub.GossipSub;
import io.ipdm.mesh.gossipsub.ScoreParams;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our WebSocket transport against js-libp2p's {@code @libp2p/websockets} (npm, on libp2p 3): js
 * dials our {@code /ws} listener and we dial js's; Noise, Yamux, identify, ping and gossipsub run
 * on top as over TCP.
 */
class JsWebSocketInteropTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String TOPIC = "ipdm/ws-interop";

    @Test
    void jsDialsOurWsListenerThenPingIdentifyAndGossip() throws Exception {
        try (JsPeer js = JsPeer.start(JsPeer.Service.WEBSOCKETS, JsPeer.Service.GOSSIPSUB);
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Peer us = Peer.on(host);
            // only a /ws listener: js can reach us no other way
            Multiaddr ws = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
            assertThat(ws.toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/12D3KooW.*");

            JsonNode dialed = js.call("dial", T, "addr", ws.toString());
            assertThat(dialed.path("peer").asText()).isEqualTo(host.peerId().toBase58());
            assertThat(js.call("ping", T, "peer", host.peerId().toBase58()).path("rtt").asDouble())
                    .isGreaterThanOrEqualTo(0);

            Connection c = host.connections().iterator().next();
            assertThat(c.isOutbound()).isFalse();
            assertThat(c.isWebSocket()).isTrue();
            assertThat(c.remoteAddress().has(Protocol.WS)).isTrue();
            assertThat(Ping.ping(c).get(20, TimeUnit.SECONDS).isNegative()).isFalse();
            // our identify of js ran on connecting (js serves one identify stream at a time)
            await(() -> us.id().info(c.remotePeer()) != null);
            IdentifyInfo info = us.id().info(c.remotePeer());
            assertThat(info.agentVersion()).startsWith("js-libp2p/");
            // js saw us connect from a /ws address
            assertThat(info.observedAddr()).isNotNull();
            assertThat(info.observedAddr().has(Protocol.WS)).isTrue();

            // identify advertises the ws address; js's peer store holds it, certified by our
            // signed peer record
            await(
                    () ->
                            js.call("peerinfo", T, "peer", host.peerId().toBase58())
                                    .path("certified")
                                    .toString()
                                    .contains(ws.withoutPeerId().toString()));
            assertThat(
                            js.call("peerinfo", T, "peer", host.peerId().toBase58())
                                    .path("agent")
                                    .asText())
                    .isEqualTo("ipdm-mesh/ws-test");

            exchangeGossip(js, us);
        }
    }

    /**
     * js-libp2p attaches its message listener only after the WebSocket 'open' event, so a listener
     * that sent its multistream header right after the upgrade lost it to a race (js then read
     * "/noise" first and gave up, about every other dial here); ours waits for the dialer's first
     * bytes. Ten fresh listeners, each dialed once.
     */
    @Test
    void jsDialsAFreshWsListenerReliably() throws Exception {
        try (JsPeer js = JsPeer.start(JsPeer.Service.WEBSOCKETS)) {
            for (int i = 0; i < 10; i++) {
                try (Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
                    Identify.install(host, "ipdm-mesh/ws-test", true);
                    Multiaddr ws = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
                    assertThat(js.call("dial", T, "addr", ws.toString()).path("peer").asText())
                            .as("dial %d", i)
                            .isEqualTo(host.peerId().toBase58());
                }
            }
        }
    }

    @Test
    void weDialJsWsListenerThenPingIdentifyAndGossip() throws Exception {
        try (JsPeer js = JsPeer.start(JsPeer.Service.WEBSOCKETS, JsPeer.Service.GOSSIPSUB);
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Peer us = Peer.on(host);

            Multiaddr target = js.wsAddr();
            assertThat(target.has(Protocol.WS)).isTrue();
            Connection c = host.dial(target).get(20, TimeUnit.SECONDS);
            assertThat(c.remotePeer().toBase58()).isEqualTo(js.peerId());
            assertThat(c.isWebSocket()).isTrue();
            assertThat(c.remoteAddress()).isEqualTo(target.withoutPeerId());

            // our identify of js ran on connecting (js serves one identify stream at a time)
            await(() -> us.id().info(c.remotePeer()) != null);
            IdentifyInfo info = us.id().info(c.remotePeer());
            assertThat(info.agentVersion()).startsWith("js-libp2p/");
            // js advertises its ws listen address; we parse it and its signed record verifies
            assertThat(info.listenAddrs()).contains(target.withoutPeerId());
            assertThat(PeerRecord.open(info.signedPeerRecord()).addresses())
                    .contains(target.withoutPeerId());
            for (int i = 0; i < 3; i++) {
                assertThat(Ping.ping(c).get(20, TimeUnit.SECONDS).isNegative()).isFalse();
            }
            assertThat(js.call("ping", T, "peer", host.peerId().toBase58()).path("rtt").asDouble())
                    .isGreaterThanOrEqualTo(0);

            exchangeGossip(js, us);
        }
    }

    /** A large payload (several Noise frames, many WebSocket frames) crosses intact both ways. */
    @Test
    void largeGossipMessagesCrossTheWebSocketIntact() throws Exception {
        try (JsPeer js = JsPeer.start(JsPeer.Service.WEBSOCKETS, JsPeer.Service.GOSSIPSUB);
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Identify id = Identify.install(host, "ipdm-mesh/ws-test", true);
            GossipSub g = gossip(host, id);
            List<byte[]> got = new CopyOnWriteArrayList<>();
            g.subscribe(TOPIC, (m, from) -> got.add(m.data()));
            host.dial(js.wsAddr()).get(20, TimeUnit.SECONDS);
            js.call("subscribe", T, "topic", TOPIC);
            await(() -> !g.meshPeers(TOPIC).isEmpty());
            await(() -> js.call("mesh", T, "topic", TOPIC).path("peers").size() >= 1);

            byte[] big = new byte[600 * 1024];
            new java.util.Random(7).nextBytes(big);
            js.call("publish", T, "topic", TOPIC, "data", Base64.getEncoder().encodeToString(big));
            await(() -> !got.isEmpty());
            assertThat(got.get(0)).isEqualTo(big);

            byte[] back = new byte[700 * 1024];
            new java.util.Random(8).nextBytes(back);
            g.publish(TOPIC, back).get(10, TimeUnit.SECONDS);
            JsonNode m =
                    js.await(
                            e -> e.path("event").asText().equals("message"),
                            Duration.ofSeconds(30));
            assertThat(Base64.getDecoder().decode(m.path("data").asText())).isEqualTo(back);
        }
    }

    /** Our side: identify, ping and gossipsub on {@code host}, subscribed to TOPIC. */
    private record Peer(Identify id, GossipSub pubsub, List<String> got) {
        static Peer on(Host host) {
            Identify id = Identify.install(host, "ipdm-mesh/ws-test", true);
            Ping.install(host);
            GossipSub g = gossip(host, id);
            List<String> got = new CopyOnWriteArrayList<>();
            g.subscribe(TOPIC, (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
            return new Peer(id, g, got);
        }
    }

    private static GossipSub gossip(Host host, Identify id) {
        return GossipSub.install(
                host,
                id,
                GossipConfig.defaults().withHeartbeat(Duration.ofMillis(300)),
                ScoreParams.defaults());
    }

    /** One message each way between js and us over the connection already open. */
    private static void exchangeGossip(JsPeer js, Peer us) throws Exception {
        GossipSub g = us.pubsub();
        List<String> got = us.got();
        js.call("subscribe", T, "topic", TOPIC);
        await(() -> !g.meshPeers(TOPIC).isEmpty());
        await(() -> js.call("mesh", T, "topic", TOPIC).path("peers").size() >= 1);
        js.call(
                "publish",
                T,
                "topic",
                TOPIC,
                "data",
                Base64.getEncoder().encodeToString("from-js".getBytes(StandardCharsets.UTF_8)));
        await(() -> got.contains("from-js"));
        g.publish(TOPIC, "from-java".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        JsonNode m = js.await(e -> e.path("event").asText().equals("message"), T);
        assertThat(
                        new String(
                                Base64.getDecoder().decode(m.path("data").asText()),
                                StandardCharsets.UTF_8))
                .isEqualTo("from-java");
        assertThat(m.path("signed").asBoolean()).isTrue();
    }
}
