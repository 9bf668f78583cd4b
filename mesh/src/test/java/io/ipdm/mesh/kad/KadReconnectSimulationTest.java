package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peers that met through one bootstrap peer, after it leaves: they learned each other while joining
 * (each joining node's own-id lookup is answered with the others), and the connection upkeep
 * ({@link KadConfig#minConnections}) dials them again when their connections break. Seeded networks
 * of real engines at virtual time; a seed replays exactly.
 */
class KadReconnectSimulationTest {
    private static final int NODES = 8;

    private static SimNet joinThroughTheFirst(long seed, KadConfig cfg) {
        SimNet net = new SimNet(seed, cfg, Duration.ofSeconds(1));
        for (int i = 0; i < NODES; i++) {
            net.add(cfg);
        }
        List<Kademlia> all = new ArrayList<>(net.nodes.values());
        KadPeer first = net.peerOf(all.get(0));
        for (int i = 1; i < NODES; i++) {
            Kademlia k = all.get(i);
            net.await(k.bootstrap(List.of(first)), k, Duration.ofMinutes(1));
        }
        return net;
    }

    private static List<PeerId> table(Kademlia k) {
        return k.routingTable().stream().map(RoutingEntry::peer).toList();
    }

    private static List<PeerId> others(SimNet net, PeerId self) {
        return net.nodes.keySet().stream().filter(p -> !p.equals(self)).toList();
    }

    @Test
    void everyJoiningNodeLearnsTheOthersNotOnlyItsBootstrapPeer() {
        SimNet net = joinThroughTheFirst(7, KadConfig.defaults());
        // well before the first refresh (5 min): what the joins alone taught
        for (Kademlia k : net.nodes.values()) {
            assertThat(table(k))
                    .as("routing table of %s", k.self())
                    .containsExactlyInAnyOrderElementsOf(others(net, k.self()));
        }
    }

    @Test
    void survivorsOfTheBootstrapPeerReconnectAndDropIt() {
        SimNet net = joinThroughTheFirst(11, KadConfig.defaults());
        PeerId bootstrap = net.nodes.keySet().iterator().next();
        net.leave(bootstrap);
        net.dropConnections(); // and every other connection breaks too
        net.runFor(Duration.ofMinutes(1));
        List<Kademlia> survivors =
                net.nodes.values().stream().filter(k -> !k.self().equals(bootstrap)).toList();
        for (Kademlia k : survivors) {
            List<PeerId> rest =
                    others(net, k.self()).stream().filter(p -> !p.equals(bootstrap)).toList();
            // seven survivors, a low-water mark of 8: each is connected to all six others again
            assertThat(rest).allSatisfy(p -> assertThat(net.connected(k.self(), p)).isTrue());
            assertThat(table(k)).containsExactlyInAnyOrderElementsOf(rest);
            assertThat(k.stats().upkeepRequests()).isPositive();
            assertThat(k.stats().connectedContacts()).isEqualTo(rest.size());
        }
        // and a lookup from any survivor still converges on the survivors
        Kademlia asker = survivors.get(3);
        LookupResult r =
                net.await(
                        asker.closestPeers(new byte[] {1, 2, 3}, Duration.ofSeconds(30)),
                        asker,
                        Duration.ofMinutes(1));
        assertThat(r.closest())
                .extracting(KadPeer::id)
                .containsExactlyInAnyOrderElementsOf(
                        others(net, asker.self()).stream()
                                .filter(p -> !p.equals(bootstrap))
                                .toList());
    }

    @Test
    void withoutTheLowWaterMarkBrokenConnectionsStayBroken() {
        SimNet net =
                joinThroughTheFirst(11, KadConfig.defaults().toBuilder().minConnections(0).build());
        PeerId bootstrap = net.nodes.keySet().iterator().next();
        net.leave(bootstrap);
        net.dropConnections();
        net.runFor(Duration.ofMinutes(1));
        for (Kademlia k : net.nodes.values()) {
            assertThat(k.stats().upkeepRequests()).isZero();
            for (PeerId p : others(net, k.self())) {
                assertThat(net.connected(k.self(), p)).isFalse();
            }
        }
    }

    @Test
    void aSeedReplaysTheSameRun() {
        long[] messages = new long[2];
        List<List<PeerId>> tables = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            SimNet net = joinThroughTheFirst(23, KadConfig.defaults());
            net.leave(net.nodes.keySet().iterator().next());
            net.dropConnections();
            net.runFor(Duration.ofMinutes(1));
            messages[run] = net.messages;
            List<PeerId> all = new ArrayList<>();
            net.nodes.values().forEach(k -> all.addAll(table(k)));
            tables.add(all);
        }
        assertThat(messages[1]).isEqualTo(messages[0]);
        assertThat(tables.get(1)).isEqualTo(tables.get(0));
    }
}
