package io.ipdm.mesh.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.gossipsub.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Many unchanged gossipsub routers on a seeded virtual network. */
class SimulationTest {
    private static final String TOPIC = "blocks";

    private static Simulation network(long seed, int n, double loss) {
        Simulation sim =
                Simulation.builder()
                        .seed(seed)
                        .nodes(n)
                        .latency(Duration.ofMillis(5), Duration.ofMillis(80))
                        .loss(loss)
                        .build();
        sim.connectRandom(4);
        for (int i = 0; i < n; i++) {
            sim.subscribe(i, TOPIC);
        }
        sim.run(Duration.ofSeconds(5)); // connections, subscriptions, a few heartbeats
        return sim;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Nodes other than the publisher that should get its message: up and connected to it. */
    private static Set<Integer> audience(Simulation sim, int publisher) {
        Set<Integer> s = new HashSet<>(sim.reachableFrom(publisher));
        s.remove(publisher);
        return s;
    }

    private static Set<Integer> receivers(Simulation sim, MessageId id) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < sim.size(); i++) {
            if (sim.hasReceived(i, id)) {
                s.add(i);
            }
        }
        return s;
    }

    @Test
    void everyConnectedHonestNodeReceivesEveryMessageDespiteLossAndCrashes() {
        Simulation sim = network(42, 80, 0.02);
        for (int i = 0; i < 80; i++) {
            assertThat(sim.router(i).meshPeers(TOPIC)).as("mesh of node " + i).isNotEmpty();
        }
        for (int c : List.of(3, 17, 29, 44, 61)) {
            sim.crash(c);
        }
        sim.run(Duration.ofSeconds(2));
        List<MessageId> ids = new ArrayList<>();
        List<Integer> publishers = List.of(0, 10, 20, 30, 40, 50, 60, 70, 79, 5);
        for (int k = 0; k < publishers.size(); k++) {
            ids.add(sim.publish(publishers.get(k), TOPIC, bytes("block " + k)));
            sim.run(Duration.ofMillis(300));
        }
        sim.run(Duration.ofSeconds(5));
        assertThat(sim.rpcsDropped()).as("the network did lose RPCs").isPositive();
        for (int k = 0; k < ids.size(); k++) {
            Set<Integer> expected = audience(sim, publishers.get(k));
            assertThat(expected.size()).as("most of the network").isGreaterThan(60);
            assertThat(receivers(sim, ids.get(k)))
                    .as("receivers of message " + k)
                    .isEqualTo(expected);
        }
        // Each node delivered each message at most once.
        for (int i = 0; i < 80; i++) {
            List<MessageId> got = sim.received(i).stream().map(d -> d.message().id()).toList();
            assertThat(got).doesNotHaveDuplicates();
        }
        Simulation.Report r = sim.report();
        long expectedDeliveries = 0;
        for (int k = 0; k < ids.size(); k++) {
            expectedDeliveries += audience(sim, publishers.get(k)).size();
        }
        assertThat(r.published()).isEqualTo(10);
        assertThat(r.deliveries()).isEqualTo(expectedDeliveries);
        assertThat(r.p50Latency()).isGreaterThanOrEqualTo(Duration.ofMillis(5));
        assertThat(r.p99Latency()).isGreaterThanOrEqualTo(r.p50Latency());
        assertThat(r.maxLatency()).isGreaterThanOrEqualTo(r.p99Latency());
        assertThat(r.duplicates()).isPositive();
        assertThat(r.rpcsDropped()).isEqualTo(sim.rpcsDropped()).isLessThan(r.rpcsSent());
    }

    @Test
    void honestNodesDeliverAroundSilentFreeRiders() {
        Simulation sim =
                Simulation.builder()
                        .seed(99)
                        .nodes(100)
                        .latency(Duration.ofMillis(5), Duration.ofMillis(80))
                        .loss(0.01)
                        .build();
        sim.connectRandom(4);
        Set<Integer> silent = Set.of(2, 13, 24, 35, 46, 57, 68, 79, 88, 97);
        silent.forEach(sim::makeSilent);
        for (int i = 0; i < 100; i++) {
            sim.subscribe(i, TOPIC);
        }
        sim.run(Duration.ofSeconds(5));
        List<Integer> publishers = List.of(0, 33, 66, 99);
        List<MessageId> ids = new ArrayList<>();
        for (int p : publishers) {
            ids.add(sim.publish(p, TOPIC, bytes("from " + p)));
            sim.run(Duration.ofMillis(200));
        }
        sim.run(Duration.ofSeconds(6)); // mesh redundancy and gossip route around the free riders
        for (int k = 0; k < ids.size(); k++) {
            Set<Integer> expected = new HashSet<>(sim.honestReachableFrom(publishers.get(k)));
            expected.remove(publishers.get(k));
            assertThat(expected.size()).isGreaterThan(80);
            Set<Integer> got = receivers(sim, ids.get(k));
            got.removeAll(silent);
            assertThat(got).as("honest receivers of message " + k).isEqualTo(expected);
        }
    }

    @Test
    void aThousandNodesDeliverEveryMessage() {
        Simulation sim = network(1000, 1000, 0.01);
        List<MessageId> ids = new ArrayList<>();
        for (int p : List.of(0, 500, 999)) {
            ids.add(sim.publish(p, TOPIC, bytes("from " + p)));
        }
        sim.run(Duration.ofSeconds(5));
        for (int k = 0; k < ids.size(); k++) {
            Set<Integer> expected = audience(sim, List.of(0, 500, 999).get(k));
            assertThat(expected).hasSize(999);
            assertThat(receivers(sim, ids.get(k))).isEqualTo(expected);
        }
    }

    @Test
    void partitionStopsDeliveryAcrossTheCutAndHealingResumesIt() {
        Simulation sim = network(7, 60, 0.0);
        Set<Integer> left = new HashSet<>();
        IntStream.range(0, 30).forEach(left::add);
        sim.partition(left);
        sim.run(Duration.ofSeconds(3));
        MessageId during = sim.publish(0, TOPIC, bytes("during the partition"));
        sim.run(Duration.ofSeconds(5));
        Set<Integer> got = receivers(sim, during);
        assertThat(got).as("nothing crosses the cut").allMatch(left::contains);
        Set<Integer> leftAudience = audience(sim, 0);
        assertThat(leftAudience).allMatch(left::contains);
        assertThat(got).isEqualTo(leftAudience);

        sim.heal();
        sim.run(Duration.ofSeconds(5)); // re-dial, resubscribe, regraft
        MessageId after = sim.publish(0, TOPIC, bytes("after healing"));
        MessageId fromRight = sim.publish(45, TOPIC, bytes("from the right side"));
        sim.run(Duration.ofSeconds(5));
        Set<Integer> everyoneBut0 = new HashSet<>(sim.reachableFrom(0));
        assertThat(everyoneBut0).hasSize(60);
        everyoneBut0.remove(0);
        assertThat(receivers(sim, after)).isEqualTo(everyoneBut0);
        Set<Integer> everyoneBut45 = new HashSet<>(sim.reachableFrom(45));
        everyoneBut45.remove(45);
        assertThat(receivers(sim, fromRight)).isEqualTo(everyoneBut45);
    }

    @Test
    void aRestartedNodeRejoinsAndReceivesNewMessages() {
        Simulation sim = network(3, 50, 0.0);
        sim.crash(9);
        sim.run(Duration.ofSeconds(1));
        MessageId missed = sim.publish(1, TOPIC, bytes("while 9 was down"));
        sim.run(Duration.ofSeconds(3));
        assertThat(sim.hasReceived(9, missed)).isFalse();
        sim.restart(9);
        sim.run(Duration.ofSeconds(4));
        assertThat(sim.router(9).meshPeers(TOPIC)).isNotEmpty();
        MessageId next = sim.publish(1, TOPIC, bytes("after the restart"));
        sim.run(Duration.ofSeconds(3));
        assertThat(sim.hasReceived(9, next)).isTrue();
        MessageId own = sim.publish(9, TOPIC, bytes("from the restarted node"));
        sim.run(Duration.ofSeconds(3));
        Set<Integer> all = new HashSet<>(sim.reachableFrom(9));
        all.remove(9);
        assertThat(receivers(sim, own)).isEqualTo(all).hasSize(49);
    }

    private static String scenario(long seed) {
        Simulation sim = network(seed, 50, 0.05);
        sim.crash(4);
        Set<Integer> left = new HashSet<>();
        IntStream.range(0, 20).forEach(left::add);
        for (int k = 0; k < 5; k++) {
            sim.publish(10 + k, TOPIC, bytes("m" + k));
            sim.run(Duration.ofMillis(500));
        }
        sim.partition(left);
        sim.publish(30, TOPIC, bytes("cut"));
        sim.run(Duration.ofSeconds(2));
        sim.heal();
        sim.restart(4);
        sim.run(Duration.ofSeconds(3));
        sim.publish(4, TOPIC, bytes("back"));
        sim.run(Duration.ofSeconds(2));
        return sim.traceHash();
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        String first = scenario(1234);
        assertThat(scenario(1234)).isEqualTo(first);
        assertThat(scenario(1235)).isNotEqualTo(first);
    }

    /**
     * A star: 16 leaves that know only the hub. The hub, over D_hi, prunes the leaves it cannot
     * keep with peer exchange carrying the leaves' signed peer records; a leaf follows it (dials
     * the signed addresses) only when the hub scores at least the accept-PX threshold there, and
     * never to a leaf whose record did not verify (the hub holds none to offer).
     */
    private static Simulation star(long seed, boolean trustHub, int forged) {
        Simulation sim =
                Simulation.builder()
                        .seed(seed)
                        .nodes(17)
                        .latency(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build();
        if (forged >= 0) {
            sim.forgePeerRecord(forged);
        }
        for (int i = 0; i < 17; i++) {
            sim.subscribe(i, TOPIC);
            if (i > 0) {
                if (trustHub) {
                    sim.router(i).setApplicationScore(sim.peerId(0), 20); // accept PX: 10
                }
                sim.connect(i, 0);
            }
        }
        sim.run(Duration.ofSeconds(10));
        return sim;
    }

    /** The leaves another leaf dialed. */
    private static Set<Integer> leafLinks(Simulation sim) {
        Set<Integer> linkedLeaves = new HashSet<>();
        for (int a = 1; a < 17; a++) {
            for (int b = 1; b < 17; b++) {
                if (a != b && sim.dialed(a, b)) {
                    linkedLeaves.add(b);
                }
            }
        }
        return linkedLeaves;
    }

    @Test
    void prunedLeavesConnectToPeerExchangePeersFromTheirSignedRecordsOnlyWhenTheHubScoresHigh() {
        assertThat(leafLinks(star(7, false, -1)))
                .as("hub below the accept-PX threshold: no peer exchange followed")
                .isEmpty();

        Simulation sim = star(7, true, 5);
        Set<Integer> reached = leafLinks(sim);
        assertThat(reached).as("leaves met through peer exchange").hasSizeGreaterThan(4);
        assertThat(reached).as("leaf 5's record was forged: nobody dials it").doesNotContain(5);
        assertThat(sim.router(0).peerRecordOf(sim.peerId(5))).isNull();
        assertThat(sim.router(0).peerRecordOf(sim.peerId(6)).addresses())
                .containsExactly(Simulation.address(6));
        assertThat(star(7, true, 5).traceHash()).isEqualTo(sim.traceHash());
    }

    @Test
    void builderRejectsBadParameters() {
        assertThatThrownBy(
                        () ->
                                Simulation.builder()
                                        .nodes(0)
                                        .latency(Duration.ofMillis(5), Duration.ofMillis(1))
                                        .loss(1.0)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid simulation: nodes >= 1 (got 0); 0 <= minLatency <= maxLatency (got"
                                + " PT0.005S, PT0.001S); 0 <= loss < 1 (got 1.0)");
        Simulation sim = Simulation.builder().nodes(3).build();
        assertThatThrownBy(() -> sim.connect(1, 1)).hasMessage("node 1 cannot dial itself");
        sim.crash(2);
        assertThatThrownBy(() -> sim.publish(2, TOPIC, bytes("x"))).hasMessage("node 2 is down");
    }
}
