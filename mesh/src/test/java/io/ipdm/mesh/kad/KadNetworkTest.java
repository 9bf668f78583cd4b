package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.multiformats.Multihash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IPDM DHT nodes over real TCP/Noise/Yamux on loopback. */
class KadNetworkTest {
    private final List<KadTestNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(KadTestNode::close);
    }

    private KadTestNode node(KadConfig cfg) {
        KadTestNode n = new KadTestNode(cfg);
        nodes.add(n);
        return n;
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void providersAndPeersAreFoundAcrossEightNodes() throws Exception {
        for (int i = 0; i < 8; i++) {
            node(KadConfig.defaults());
        }
        KadTestNode first = nodes.get(0);
        for (KadTestNode n : nodes.subList(1, nodes.size())) {
            LookupResult r = get(n.dht.bootstrap(List.of(first.addr)));
            assertThat(r.queried()).isGreaterThanOrEqualTo(1);
        }
        for (KadTestNode n : nodes) {
            assertThat(n.dht.routingTable())
                    .as("routing table of %s", n.id())
                    .hasSizeGreaterThanOrEqualTo(1);
        }
        byte[] key = Multihash.sha2_256("a block".getBytes()).toBytes();
        KadTestNode provider = nodes.get(5);
        ProvideResult pr = get(provider.dht.provide(key));
        assertThat(pr.sentTo()).isNotEmpty();
        KadTestNode seeker = nodes.get(7);
        LookupResult found = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            // ADD_PROVIDER has no acknowledgement: wait until a record has landed.
            found = get(seeker.dht.findProviders(key, 1, Duration.ofSeconds(10)));
            if (!found.providers().isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(found.providers())
                .containsExactly(KadPeer.of(provider.id(), List.of(provider.addr.withoutPeerId())));
        LookupResult peer =
                get(nodes.get(2).dht.findPeer(nodes.get(6).id(), Duration.ofSeconds(10)));
        assertThat(peer.peer().id()).isEqualTo(nodes.get(6).id());
        assertThat(peer.peer().addrs()).contains(nodes.get(6).addr.withoutPeerId());
        KadStats s = provider.dht.stats();
        assertThat(s.providedKeys()).isEqualTo(1);
        assertThat(s.requestsOut()).isGreaterThan(0);
    }

    @Test
    void aClientNodeAsksButIsNotAdvertisedNorServes() throws Exception {
        KadTestNode server = node(KadConfig.defaults());
        KadTestNode other = node(KadConfig.defaults());
        KadTestNode client =
                node(KadConfig.defaults().toBuilder().mode(KadConfig.Mode.CLIENT).build());
        get(other.dht.bootstrap(List.of(server.addr)));
        get(client.dht.bootstrap(List.of(server.addr)));
        byte[] key = Multihash.sha2_256("client".getBytes()).toBytes();
        get(other.dht.provide(key));
        LookupResult r = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            r = get(client.dht.findProviders(key, 1, Duration.ofSeconds(10)));
            if (!r.providers().isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(r.providers()).extracting(KadPeer::id).containsExactly(other.id());
        assertThat(server.identify.info(client.id()).protocols())
                .doesNotContain(KadConfig.PROTOCOL);
        assertThat(server.dht.routingTable())
                .extracting(RoutingEntry::peer)
                .containsExactly(other.id());
        Connection c = get(server.host.dial(client.addr));
        assertThatThrownBy(() -> get(c.newStream(KadConfig.PROTOCOL, (StreamHandler) (s, d) -> {})))
                .hasMessageContaining(KadConfig.PROTOCOL);
    }

    @Test
    void bootstrapWithoutReachablePeersSaysSo() {
        KadTestNode n = node(KadConfig.defaults());
        KadTestNode gone = node(KadConfig.defaults());
        Multiaddr addr = gone.addr;
        gone.close();
        nodes.remove(gone);
        assertThatThrownBy(() -> get(n.dht.bootstrap(List.of(addr))))
                .hasMessageContaining("none of the 1 DHT bootstrap peers could be dialed");
        assertThatThrownBy(
                        () ->
                                get(
                                        n.dht.bootstrap(
                                                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")))))
                .hasMessageContaining("has no /p2p/<peer id>");
    }

    @Test
    void aPeerListeningOnTheWildcardIsKnownByTheHostItConnectedFrom() {
        assertThat(
                        KadNetwork.withObservedHost(
                                List.of(
                                        Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"),
                                        Multiaddr.parse("/ip4/192.168.1.5/tcp/4001")),
                                Multiaddr.parse("/ip4/10.1.2.3/tcp/55012")))
                .containsExactly(
                        Multiaddr.parse("/ip4/10.1.2.3/tcp/4001"),
                        Multiaddr.parse("/ip4/192.168.1.5/tcp/4001"));
        // a WebSocket listener stays one
        assertThat(
                        KadNetwork.withObservedHost(
                                List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4002/ws")),
                                Multiaddr.parse("/ip4/10.1.2.3/tcp/55012/ws")))
                .containsExactly(Multiaddr.parse("/ip4/10.1.2.3/tcp/4002/ws"));
    }

    @Test
    void aWildcardListenerIsReachableThroughTheTable() throws Exception {
        KadTestNode a = node(KadConfig.defaults());
        Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        try {
            Identify id = Identify.install(h, "t", true);
            KadNetwork wild = KadNetwork.install(h, id, KadConfig.defaults());
            Multiaddr bound = h.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"));
            String port = bound.value(Protocol.TCP);
            get(wild.bootstrap(List.of(a.addr)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (a.dht.routingTable().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(a.dht.routingTable())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.peer()).isEqualTo(h.peerId());
                                assertThat(e.addrs())
                                        .contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port));
                            });
            wild.close();
        } finally {
            h.close();
        }
    }
}
