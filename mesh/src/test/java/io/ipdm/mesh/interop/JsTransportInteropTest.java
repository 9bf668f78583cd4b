package io.ipdm.mesh.interop;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our transport stack against js-libp2p (npm libp2p 3.x with noise, yamux, identify, ping). */
class JsTransportInteropTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void javaDialsJsThenIdentifyAndPingBothWays() throws Exception {
        try (JsPeer js = JsPeer.start();
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Identify id = Identify.install(host, "ipdm-mesh/test", false);
            Ping.install(host);
            host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

            // js's peer id in its CIDv1 text form (bafz..., codec libp2p-key) is accepted too
            Multiaddr cidForm =
                    Multiaddr.parse(
                            js.addr().withoutPeerId()
                                    + "/p2p/"
                                    + PeerId.parse(js.peerId()).toCidString());
            assertThat(cidForm).isEqualTo(js.addr());
            Connection c = host.dial(cidForm).get(20, TimeUnit.SECONDS);
            assertThat(c.remotePeer().toBase58()).isEqualTo(js.peerId());

            IdentifyInfo info = id.identify(c).get(20, TimeUnit.SECONDS);
            assertThat(info.agentVersion()).startsWith("js-libp2p/");
            assertThat(info.protocols())
                    .contains(Identify.PROTOCOL, Ping.PROTOCOL, "/meshsub/1.1.0");
            assertThat(info.publicKey().toPeerId()).isEqualTo(c.remotePeer());
            // js's signed peer record verifies here, and ours there (its peer store marks the
            // addresses certified)
            assertThat(info.signedPeerRecord()).isNotNull();
            io.ipdm.mesh.identity.PeerRecord jsRecord =
                    io.ipdm.mesh.identity.PeerRecord.open(info.signedPeerRecord());
            assertThat(jsRecord.peer()).isEqualTo(c.remotePeer());
            assertThat(jsRecord.addresses()).contains(js.addr().withoutPeerId());

            List<Duration> rtts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rtts.add(Ping.ping(c).get(20, TimeUnit.SECONDS));
            }
            assertThat(rtts).allMatch(d -> !d.isNegative());

            // js identifies us on its own after the connection opens.
            JsonNode ident =
                    js.await(
                            e ->
                                    e.path("event").asText().equals("identify")
                                            && e.path("peer")
                                                    .asText()
                                                    .equals(host.peerId().toBase58()),
                            T);
            assertThat(ident.path("agent").asText()).isEqualTo("ipdm-mesh/test");
            assertThat(ident.path("protocols").toString()).contains(Ping.PROTOCOL);
            JsonNode pong = js.call("ping", T, "peer", host.peerId().toBase58());
            assertThat(pong.path("rtt").asDouble()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void jsDialsJavaThenIdentifyAndPingBothWays() throws Exception {
        try (JsPeer js = JsPeer.start();
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Identify id = Identify.install(host, "ipdm-mesh/test", false);
            Ping.install(host);
            Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

            JsonNode dialed = js.call("dial", T, "addr", addr.toString());
            assertThat(dialed.path("peer").asText()).isEqualTo(host.peerId().toBase58());
            JsonNode pong = js.call("ping", T, "peer", host.peerId().toBase58());
            assertThat(pong.path("rtt").asDouble()).isGreaterThanOrEqualTo(0);
            js.await(
                    e ->
                            e.path("event").asText().equals("identify")
                                    && e.path("peer").asText().equals(host.peerId().toBase58()),
                    T);
            JsonNode peerInfo = js.call("peerinfo", T, "peer", host.peerId().toBase58());
            assertThat(peerInfo.path("agent").asText()).isEqualTo("ipdm-mesh/test");
            assertThat(peerInfo.path("addrs").toString()).contains(addr.withoutPeerId().toString());

            Connection c = host.connections().iterator().next();
            assertThat(c.isOutbound()).isFalse();
            assertThat(c.remotePeer().toBase58()).isEqualTo(js.peerId());
            assertThat(id.identify(c).get(20, TimeUnit.SECONDS).agentVersion())
                    .startsWith("js-libp2p/");
            assertThat(Ping.ping(c).get(20, TimeUnit.SECONDS).isNegative()).isFalse();
        }
    }

    @Test
    void identifyPushBothWaysWhenProtocolsChange() throws Exception {
        try (JsPeer js = JsPeer.start();
                Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Identify id = Identify.install(host, "ipdm-mesh/test", true);
            Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
            js.call("dial", T, "addr", addr.toString());
            await(() -> id.info(PeerId.parse(js.peerId())) != null);
            assertThat(id.info(PeerId.parse(js.peerId())).protocols())
                    .doesNotContain("/ipdm/test-js/1.0.0");
            js.await(
                    e ->
                            e.path("event").asText().equals("identify")
                                    && e.path("peer").asText().equals(host.peerId().toBase58()),
                    T);

            // js registers a protocol and pushes; we see it without asking again
            js.call("handle", T, "protocol", "/ipdm/test-js/1.0.0");
            await(
                    () ->
                            id.info(PeerId.parse(js.peerId()))
                                    .protocols()
                                    .contains("/ipdm/test-js/1.0.0"));
            assertThat(id.info(PeerId.parse(js.peerId())).agentVersion()).startsWith("js-libp2p/");

            // we register one: the host pushes by itself and js's peer store learns it
            host.addProtocol("/ipdm/test-java/1.0.0", (c, s) -> (st, data) -> data.release());
            await(
                    () ->
                            js.call("peerinfo", T, "peer", host.peerId().toBase58())
                                    .path("protocols")
                                    .toString()
                                    .contains("/ipdm/test-java/1.0.0"));
            assertThat(id.pushesSent()).isEqualTo(1);
            JsonNode seen = js.call("peerinfo", T, "peer", host.peerId().toBase58());
            assertThat(seen.path("record").asBoolean()).as("our signed record accepted").isTrue();
            assertThat(seen.path("certified").toString()).contains(addr.withoutPeerId().toString());

            // a listen address bound while connected reaches js's peer store the same way
            Multiaddr second = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
            await(
                    () ->
                            js.call("peerinfo", T, "peer", host.peerId().toBase58())
                                    .path("addrs")
                                    .toString()
                                    .contains(second.withoutPeerId().toString()));
        }
    }

    /**
     * A node service that starts after the node dialed its bootstrap peer (as every service of
     * {@code ipdm node} does) registers its protocols, and js-libp2p's peer store learns them from
     * our push without reconnecting.
     */
    @Test
    void aServiceStartedAfterConnectingIsAnnouncedToJsByIdentifyPush() throws Exception {
        try (JsPeer js = JsPeer.start();
                io.ipdm.mesh.node.MeshNode node =
                        io.ipdm.mesh.node.MeshNode.start(
                                io.ipdm.mesh.node.MeshNodeConfig.of(
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                                        List.of(js.addr()),
                                        List.of()))) {
            String us = node.peerId().toBase58();
            js.await(
                    e ->
                            e.path("event").asText().equals("identify")
                                    && e.path("peer").asText().equals(us),
                    T);
            assertThat(js.call("peerinfo", T, "peer", us).path("protocols").toString())
                    .doesNotContain(io.ipdm.mesh.riblt.RecordSync.PROTOCOL);
            try (io.ipdm.mesh.records.RecordStore store = new io.ipdm.mesh.records.RecordStore();
                    io.ipdm.mesh.node.RecordService rs =
                            io.ipdm.mesh.node.RecordService.start(
                                    node,
                                    store,
                                    io.ipdm.mesh.node.RecordService.Config.defaults())) {
                await(
                        () ->
                                js.call("peerinfo", T, "peer", us)
                                        .path("protocols")
                                        .toString()
                                        .contains(io.ipdm.mesh.riblt.RecordSync.PROTOCOL));
            }
        }
    }
}
