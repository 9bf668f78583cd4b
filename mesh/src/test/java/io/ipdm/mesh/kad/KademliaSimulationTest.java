package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lookups, provider records and client mode on whole networks of engines at virtual time. */
class KademliaSimulationTest {
    private static final KadConfig CFG = KadConfig.defaults();

    private static byte[] key(String s) {
        return Multihash.sha2_256(s.getBytes(StandardCharsets.UTF_8)).toBytes();
    }

    /** 200 nodes each joining through the first one, then one refresh round. */
    private static SimNet network(int n, long seed) {
        SimNet net = new SimNet(seed, CFG, Duration.ofSeconds(1));
        for (int i = 0; i < n; i++) {
            net.add(CFG);
        }
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        KadPeer first = net.peerOf(all.get(0));
        for (int i = 1; i < n; i++) {
            Kademlia k = all.get(i);
            net.await(k.bootstrap(List.of(first)), k, Duration.ofMinutes(2));
        }
        net.runFor(CFG.refreshInterval().plusSeconds(30));
        return net;
    }

    private static List<PeerId> trueClosest(SimNet net, byte[] key, PeerId except, int k) {
        KadKey t = KadKey.of(key);
        return net.nodes.keySet().stream()
                .filter(p -> !p.equals(except) && !net.offline.contains(p))
                .sorted(Comparator.comparing(KadKey::of, t.byDistance()))
                .limit(k)
                .toList();
    }

    @Test
    void lookupsFindTheTrueClosestPeersOn200Nodes() {
        SimNet net = network(200, 42);
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        for (Kademlia k : all) {
            assertThat(k.routingTable().size())
                    .as("routing table of %s", k.self())
                    .isGreaterThan(20);
        }
        int exact = 0;
        for (int q = 0; q < 30; q++) {
            Kademlia from = all.get(net.random.nextInt(all.size()));
            byte[] key = key("key-" + q);
            LookupResult r =
                    net.await(
                            from.closestPeers(key, Duration.ofMinutes(1)),
                            from,
                            Duration.ofMinutes(2));
            List<PeerId> want = trueClosest(net, key, from.self(), 20);
            List<PeerId> got = r.closest().stream().map(KadPeer::id).toList();
            assertThat(r.timedOut()).isFalse();
            assertThat(got.get(0)).as("closest peer of lookup %d", q).isEqualTo(want.get(0));
            Set<PeerId> overlap = new HashSet<>(got);
            overlap.retainAll(want);
            assertThat(overlap.size())
                    .as("overlap with the true 20 closest, lookup %d", q)
                    .isGreaterThanOrEqualTo(18);
            if (got.equals(want)) {
                exact++;
            }
        }
        assertThat(exact)
                .as("lookups that found exactly the true 20 closest")
                .isGreaterThanOrEqualTo(27);
    }

    @Test
    void providersAreFoundFromAnyNodeAndPeersByTheirId() {
        SimNet net = network(150, 7);
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        Kademlia provider = all.get(17);
        byte[] key = key("block-1");
        ProvideResult pr = net.await(provider.provide(key), provider, Duration.ofMinutes(2));
        assertThat(pr.sentTo()).hasSize(20);
        assertThat(pr.sentTo())
                .containsExactlyInAnyOrderElementsOf(trueClosest(net, key, provider.self(), 20));
        net.runFor(Duration.ofSeconds(5));
        for (int q = 0; q < 20; q++) {
            Kademlia seeker = all.get((q * 7 + 3) % all.size());
            if (seeker == provider) {
                continue;
            }
            LookupResult r =
                    net.await(
                            seeker.findProviders(key, 1, Duration.ofMinutes(1), null),
                            seeker,
                            Duration.ofMinutes(2));
            assertThat(r.providers()).hasSize(1);
            assertThat(r.providers().get(0)).isEqualTo(net.peerOf(provider));
            assertThat(r.hops()).isBetween(0, 5);
        }
        Kademlia a = all.get(3);
        Kademlia b = all.get(120);
        LookupResult found =
                net.await(a.findPeer(b.self(), Duration.ofMinutes(1)), a, Duration.ofMinutes(2));
        assertThat(found.peer()).isEqualTo(net.peerOf(b));
        // A key nobody provides: the lookup converges with no provider.
        LookupResult none =
                net.await(
                        a.findProviders(key("nobody"), 1, Duration.ofMinutes(1), null),
                        a,
                        Duration.ofMinutes(2));
        assertThat(none.providers()).isEmpty();
        assertThat(none.timedOut()).isFalse();
        assertThat(none.closest()).hasSize(20);
    }

    private static byte[] pkKey(PeerId peer) {
        byte[] id = peer.toBytes();
        byte[] key = new byte[4 + id.length];
        System.arraycopy("/pk/".getBytes(StandardCharsets.US_ASCII), 0, key, 0, 4);
        System.arraycopy(id, 0, key, 4, id.length);
        return key;
    }

    /**
     * A node publishes its /pk record to the 20 peers closest to the key (PUT_VALUE) and any node
     * finds it by an iterative GET_VALUE; an invalid record is refused before it is sent, and a key
     * nobody put has no value.
     */
    @Test
    void aValuePutByOneNodeIsFoundFromAnyOther() {
        SimNet net = network(100, 11);
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        Kademlia owner = all.get(5);
        byte[] key = pkKey(owner.self());
        byte[] value = owner.self().inlinedPublicKey().toProtobuf();
        PutValueResult put = net.await(owner.putValue(key, value), owner, Duration.ofMinutes(2));
        assertThat(put.refused()).isEmpty();
        assertThat(put.storedBy())
                .containsExactlyInAnyOrderElementsOf(trueClosest(net, key, owner.self(), 20));
        for (int q = 0; q < 10; q++) {
            Kademlia seeker = all.get((q * 11 + 7) % all.size());
            if (seeker == owner) {
                continue;
            }
            ValueResult r =
                    net.await(
                            seeker.getValue(key, Duration.ofMinutes(1)),
                            seeker,
                            Duration.ofMinutes(2));
            assertThat(r.value()).isEqualTo(value);
            assertThat(put.storedBy()).contains(r.from());
        }
        byte[] otherKey = pkKey(all.get(6).self());
        assertThat(owner.putValue(otherKey, value))
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("/pk record's key does not hash to");
        ValueResult none =
                net.await(
                        all.get(9).getValue(otherKey, Duration.ofMinutes(1)),
                        all.get(9),
                        Duration.ofMinutes(2));
        assertThat(none.value()).isNull();
        assertThat(none.lookup().timedOut()).isFalse();
    }

    @Test
    void lookupsRouteAroundOfflinePeers() {
        SimNet net = network(120, 99);
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        for (int i = 1; i < all.size(); i += 4) {
            net.offline.add(all.get(i).self());
        }
        Kademlia provider = all.get(2);
        byte[] key = key("survives");
        net.await(provider.provide(key), provider, Duration.ofMinutes(2));
        Kademlia seeker = all.get(100);
        LookupResult r =
                net.await(
                        seeker.findProviders(key, 1, Duration.ofMinutes(1), null),
                        seeker,
                        Duration.ofMinutes(2));
        assertThat(r.providers()).extracting(KadPeer::id).containsExactly(provider.self());
        LookupResult c =
                net.await(
                        seeker.closestPeers(key, Duration.ofMinutes(1)),
                        seeker,
                        Duration.ofMinutes(2));
        List<PeerId> want = trueClosest(net, key, seeker.self(), 20);
        List<PeerId> got = c.closest().stream().map(KadPeer::id).toList();
        assertThat(got.get(0)).isEqualTo(want.get(0));
        assertThat(got.stream().filter(want::contains).count()).isGreaterThanOrEqualTo(19);
        assertThat(c.failed()).isGreaterThan(0);
    }

    @Test
    void recordsExpireAfterTheirTtlUnlessRepublished() {
        KadConfig cfg = CFG.toBuilder().refreshInterval(Duration.ofHours(12)).build();
        SimNet net = new SimNet(5, cfg, Duration.ofMinutes(1));
        for (int i = 0; i < 30; i++) {
            net.add(cfg);
        }
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        for (int i = 1; i < all.size(); i++) {
            net.await(
                    all.get(i).bootstrap(List.of(net.peerOf(all.get(0)))),
                    all.get(i),
                    Duration.ofMinutes(2));
        }
        Kademlia provider = all.get(4);
        byte[] kept = key("kept");
        byte[] dropped = key("dropped");
        net.await(provider.provide(kept), provider, Duration.ofMinutes(2));
        long announcedFrom = net.clock.now;
        ProvideResult d = net.await(provider.provide(dropped), provider, Duration.ofMinutes(2));
        long announcedBy = net.clock.now + 100; // the ADD_PROVIDER is still on the wire
        provider.stopProviding(dropped);
        net.runFor(Duration.ofMinutes(1));
        Kademlia holder = net.nodes.get(d.sentTo().get(0));
        assertThat(holder.localProviders(dropped))
                .extracting(ProviderRecord::provider)
                .containsExactly(provider.self());
        assertThat(holder.localProviders(dropped).get(0).expires())
                .isBetween(
                        java.time.Instant.ofEpochMilli(announcedFrom).plus(Duration.ofHours(48)),
                        java.time.Instant.ofEpochMilli(announcedBy).plus(Duration.ofHours(48)));
        net.runFor(Duration.ofHours(47));
        assertThat(holder.localProviders(dropped)).hasSize(1);
        net.runFor(Duration.ofHours(2));
        assertThat(holder.localProviders(dropped)).isEmpty();
        assertThat(holder.stats().providerRecords())
                .as("expired records are dropped from the store")
                .isLessThanOrEqualTo(1);
        Kademlia seeker = all.get(20);
        LookupResult gone =
                net.await(
                        seeker.findProviders(dropped, 1, Duration.ofMinutes(1), null),
                        seeker,
                        Duration.ofMinutes(2));
        assertThat(gone.providers()).isEmpty();
        // The kept key was republished at 22 h and 44 h, so its records are still there at 49 h.
        LookupResult still =
                net.await(
                        seeker.findProviders(kept, 1, Duration.ofMinutes(1), null),
                        seeker,
                        Duration.ofMinutes(2));
        assertThat(still.providers()).extracting(KadPeer::id).containsExactly(provider.self());
        long holders =
                all.stream()
                        .filter(k -> k != provider && !k.localProviders(kept).isEmpty())
                        .count();
        assertThat(holders).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aSeedReplaysTheSameRun() {
        SimNet a = network(40, 11);
        SimNet b = network(40, 11);
        assertThat(a.messages).isEqualTo(b.messages);
        assertThat(a.clock.now).isEqualTo(b.clock.now);
        List<Kademlia> na = new ArrayList<>(a.nodes.values());
        List<Kademlia> nb = new ArrayList<>(b.nodes.values());
        for (int i = 0; i < na.size(); i++) {
            assertThat(na.get(i).routingTable()).isEqualTo(nb.get(i).routingTable());
        }
    }

    @Test
    void clientModeNodesQueryButNeverServeOrEnterRoutingTables() {
        SimNet net = network(40, 3);
        KadConfig clientCfg = CFG.toBuilder().mode(KadConfig.Mode.CLIENT).build();
        Kademlia client = net.add(clientCfg);
        List<Kademlia> servers = new ArrayList<>(net.nodes.values()).subList(0, 40);
        net.await(
                client.bootstrap(List.of(net.peerOf(servers.get(0)))),
                client,
                Duration.ofMinutes(2));
        byte[] key = key("client-provides");
        ProvideResult pr = net.await(client.provide(key), client, Duration.ofMinutes(2));
        assertThat(pr.sentTo()).hasSize(20);
        net.runFor(Duration.ofSeconds(5));
        Kademlia seeker = servers.get(30);
        LookupResult r =
                net.await(
                        seeker.findProviders(key, 1, Duration.ofMinutes(1), null),
                        seeker,
                        Duration.ofMinutes(2));
        assertThat(r.providers()).extracting(KadPeer::id).containsExactly(client.self());
        net.runFor(CFG.refreshInterval().plusSeconds(30));
        for (Kademlia s : servers) {
            assertThat(s.routingTable())
                    .extracting(RoutingEntry::peer)
                    .doesNotContain(client.self());
        }
        assertThat(
                        client.onRequest(
                                servers.get(0).self(),
                                KadMessage.request(KadMessage.Type.FIND_NODE, key)))
                .isEqualTo(
                        new InboundResult.Refuse(
                                "client mode: this node does not serve /ipfs/kad/1.0.0"));
    }
}
