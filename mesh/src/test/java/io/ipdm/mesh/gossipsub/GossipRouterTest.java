package io.ipdm.mesh.gossipsub;

import static io.ipdm.mesh.gossipsub.RouterBed.message;
import static io.ipdm.mesh.gossipsub.RouterBed.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The router at virtual time: every behaviour driven by hand-made RPCs and clock steps. */
class GossipRouterTest {
    private static final String T = "t";

    private static RouterBed bed() {
        return new RouterBed(GossipConfig.defaults(), ScoreParams.defaults());
    }

    private static Set<PeerId> peers(int from, int to) {
        Set<PeerId> s = new HashSet<>();
        for (int i = from; i <= to; i++) {
            s.add(peer(i));
        }
        return s;
    }

    @Test
    void heartbeatGraftsUpToDWhenBelowDLo() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 10; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        assertThat(b.router.meshPeers(T)).isEmpty();
        b.heartbeats(1);
        Set<PeerId> mesh = b.router.meshPeers(T);
        assertThat(mesh).hasSize(6);
        for (int i = 1; i <= 10; i++) {
            assertThat(b.graftedTo(peer(i), T)).isEqualTo(mesh.contains(peer(i)));
        }
        b.clearSent();
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).isEqualTo(mesh);
        assertThat(b.sent.values().stream().flatMap(List::stream).anyMatch(r -> !r.graft.isEmpty()))
                .isFalse();
    }

    @Test
    void heartbeatPrunesToDKeepingTheDScoreBestAndDOutOutboundPeers() {
        RouterBed b = bed();
        b.router.subscribe(T);
        // 10 inbound peers, then 4 outbound ones: GRAFTs from outbound peers are accepted above
        // D_hi, so the mesh reaches 14.
        for (int i = 1; i <= 14; i++) {
            b.graftFrom(b.connect(i, i > 10), T);
        }
        assertThat(b.router.meshPeers(T)).hasSize(14);
        for (int i = 1; i <= 4; i++) {
            b.router.setApplicationScore(peer(i), 50);
        }
        b.clearSent();
        b.heartbeats(1);
        Set<PeerId> mesh = b.router.meshPeers(T);
        assertThat(mesh).hasSize(6).containsAll(peers(1, 4));
        Set<PeerId> rest = new HashSet<>(mesh);
        rest.removeAll(peers(1, 4));
        assertThat(peers(11, 14))
                .as("the two random places went to outbound peers")
                .containsAll(rest);
        for (int i = 1; i <= 14; i++) {
            PeerId p = peer(i);
            if (mesh.contains(p)) {
                assertThat(b.prunesTo(p)).isEmpty();
            } else {
                assertThat(b.prunesTo(p)).hasSize(1);
                Rpc.Prune pr = b.prunesTo(p).get(0);
                assertThat(pr.backoffSeconds()).isEqualTo(60);
                assertThat(pr.peers()).as("peer exchange offered").isNotEmpty();
                assertThat(b.router.inBackoff(p, T)).isTrue();
            }
        }
    }

    @Test
    void inboundGraftAboveDHiIsPrunedWithPeerExchange() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 12; i++) {
            b.graftFrom(b.connect(i, false), T);
        }
        PeerId extra = b.connect(13, false);
        b.graftFrom(extra, T);
        assertThat(b.router.meshPeers(T)).hasSize(12).doesNotContain(extra);
        assertThat(b.prunesTo(extra))
                .singleElement()
                .satisfies(
                        pr -> {
                            assertThat(pr.peers()).hasSize(12);
                        });
    }

    @Test
    void heartbeatGraftsOutboundPeersUpToDOut() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 6; i++) {
            b.graftFrom(b.connect(i, false), T);
        }
        for (int i = 7; i <= 9; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        b.heartbeats(1);
        Set<PeerId> mesh = b.router.meshPeers(T);
        assertThat(mesh).hasSize(8).containsAll(peers(1, 6));
        Set<PeerId> outbound = new HashSet<>(mesh);
        outbound.retainAll(peers(7, 9));
        assertThat(outbound).hasSize(2);
        outbound.forEach(p -> assertThat(b.graftedTo(p, T)).isTrue());
    }

    @Test
    void opportunisticGraftingAddsBetterPeersToALowScoringMesh() {
        RouterBed b =
                new RouterBed(
                        GossipConfig.builder().opportunisticGraft(2, 2).build(),
                        ScoreParams.builder().opportunisticGraftThreshold(5).build());
        b.router.subscribe(T);
        for (int i = 1; i <= 6; i++) {
            b.graftFrom(b.connect(i, false), T);
            b.router.setApplicationScore(peer(i), 1);
        }
        for (int i = 7; i <= 9; i++) {
            b.subscribeFrom(b.connect(i, false), T);
            b.router.setApplicationScore(peer(i), 10);
        }
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).isEqualTo(peers(1, 6));
        b.heartbeats(1); // the second heartbeat is an opportunistic grafting round
        Set<PeerId> mesh = b.router.meshPeers(T);
        assertThat(mesh).hasSize(8).containsAll(peers(1, 6));
        Set<PeerId> better = new HashSet<>(mesh);
        better.retainAll(peers(7, 9));
        assertThat(better).hasSize(2);

        // A mesh whose median is above the threshold gets nobody.
        RouterBed good =
                new RouterBed(
                        GossipConfig.builder().opportunisticGraft(2, 2).build(),
                        ScoreParams.builder().opportunisticGraftThreshold(5).build());
        good.router.subscribe(T);
        for (int i = 1; i <= 6; i++) {
            good.graftFrom(good.connect(i, false), T);
            good.router.setApplicationScore(peer(i), 6);
        }
        for (int i = 7; i <= 9; i++) {
            good.subscribeFrom(good.connect(i, false), T);
            good.router.setApplicationScore(peer(i), 10);
        }
        good.heartbeats(2);
        assertThat(good.router.meshPeers(T)).isEqualTo(peers(1, 6));
    }

    @Test
    void fanoutIsReusedWithinItsTtlAndExpiresAfter() {
        RouterBed b =
                new RouterBed(
                        GossipConfig.defaults().withFloodPublish(false), ScoreParams.defaults());
        for (int i = 1; i <= 8; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        b.router.publish(T, "one".getBytes(StandardCharsets.UTF_8));
        b.drain();
        Set<PeerId> fanout = b.router.fanoutPeers(T);
        assertThat(fanout).hasSize(6);
        Set<PeerId> got = new HashSet<>();
        for (int i = 1; i <= 8; i++) {
            if (!b.messagesTo(peer(i)).isEmpty()) {
                got.add(peer(i));
            }
        }
        assertThat(got).isEqualTo(fanout);

        b.advance(Duration.ofSeconds(30));
        b.clearSent();
        b.router.publish(T, "two".getBytes(StandardCharsets.UTF_8));
        b.drain();
        assertThat(b.router.fanoutPeers(T)).isEqualTo(fanout);
        for (int i = 1; i <= 8; i++) {
            assertThat(b.messagesTo(peer(i))).hasSize(fanout.contains(peer(i)) ? 1 : 0);
        }

        b.advance(Duration.ofSeconds(59));
        assertThat(b.router.fanoutPeers(T)).hasSize(6);
        b.advance(Duration.ofSeconds(2));
        assertThat(b.router.fanoutPeers(T)).as("60 s after the last publish").isEmpty();
    }

    @Test
    void pruneBackoffIsRespectedAndGraftDuringBackoffIsPenalised() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId p = b.connect(1, true);
        b.subscribeFrom(p, T);
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).containsExactly(p);

        b.pruneFrom(p, T, 30, List.of());
        assertThat(b.router.meshPeers(T)).isEmpty();
        b.clearSent();
        b.advance(Duration.ofSeconds(29));
        assertThat(b.graftedTo(p, T)).as("no GRAFT during the 30 s backoff").isFalse();
        assertThat(b.router.meshPeers(T)).isEmpty();
        b.advance(Duration.ofSeconds(2));
        assertThat(b.graftedTo(p, T)).as("grafted again once it expired").isTrue();
        assertThat(b.router.meshPeers(T)).containsExactly(p);

        // The peer prunes again, then GRAFTs during the backoff: P7. (Slow decay keeps the
        // arithmetic visible; P7 decays once per 1 s heartbeat.)
        b.pruneFrom(p, T, 30, List.of());
        b.clearSent();
        b.graftFrom(p, T);
        assertThat(b.prunesTo(p)).hasSize(1);
        assertThat(b.router.score(p)).as("penalty 1 is within the threshold of 1").isZero();
        b.graftFrom(p, T);
        // Our answer refreshed the backoff to 60 s; a GRAFT within 10 s of that is a flood: +2.
        // Penalty 3, threshold 1, weight -10: -10 * (3 - 1)^2.
        assertThat(b.router.score(p)).isCloseTo(-40, within(1e-9));
        assertThat(b.router.meshPeers(T)).isEmpty();
        assertThat(b.router.inBackoff(p, T)).isTrue();
    }

    @Test
    void graftDuringBackoffButAfterTheFloodThresholdCostsOnePenalty() {
        RouterBed b =
                new RouterBed(
                        GossipConfig.defaults(),
                        ScoreParams.defaults().withBehaviourPenaltyDecay(0.999));
        b.router.subscribe(T);
        PeerId p = b.connect(1, true);
        b.graftFrom(p, T);
        b.router.setApplicationScore(p, -1); // negative: the next heartbeat prunes it
        b.heartbeats(1);
        assertThat(b.prunesTo(p)).hasSize(1);
        b.router.setApplicationScore(p, 0);
        b.advance(Duration.ofSeconds(15)); // past the 10 s flood threshold, inside the 60 s backoff
        b.graftFrom(p, T);
        assertThat(b.router.score(p)).isZero(); // penalty 1
        b.graftFrom(p, T); // within 10 s of the refreshed backoff: +2
        assertThat(b.router.score(p)).isCloseTo(-10 * 2 * 2, within(1e-9));
    }

    @Test
    void brokenIwantPromisesArePenalised() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId liar = b.connect(1, false);
        PeerId honest = b.connect(2, false);
        b.subscribeFrom(liar, T);
        b.subscribeFrom(honest, T);
        PubSubMessage c = message(9, T, "c", 3);
        for (int k = 0; k < 2; k++) {
            Rpc ihave = new Rpc();
            ihave.ihave.add(new Rpc.IHave(T, List.of(message(9, T, "never", 100 + k).id())));
            b.from(liar, ihave);
        }
        Rpc ihave = new Rpc();
        ihave.ihave.add(new Rpc.IHave(T, List.of(c.id())));
        b.from(honest, ihave);
        assertThat(b.sentTo(honest).stream().flatMap(r -> r.iwant.stream()))
                .containsExactly(c.id());
        b.publishFrom(honest, c);
        b.advance(Duration.ofMillis(3500));
        assertThat(b.router.brokenPromises()).isEqualTo(2);
        assertThat(b.router.score(liar)).isLessThan(0);
        assertThat(b.router.score(honest)).isGreaterThan(0);
    }

    @Test
    void ihaveAndIdontwantFloodsAreCappedPerHeartbeatAndOthersAreStillServed() {
        RouterBed b =
                new RouterBed(
                        GossipConfig.builder()
                                .maxIHaveMessages(3)
                                .maxIHaveLength(20)
                                .maxIDontWantIds(10)
                                .build(),
                        ScoreParams.defaults());
        b.router.subscribe(T);
        PeerId flooder = b.connect(1, false);
        PeerId honest = b.connect(2, false);
        b.subscribeFrom(flooder, T);
        b.subscribeFrom(honest, T);
        b.clearSent();
        // 50 IHAVE messages of 8 unseen ids each within one heartbeat: IWANTs for at most 20 ids
        // out of the first 3 messages
        for (int k = 0; k < 50; k++) {
            Rpc ihave = new Rpc();
            List<MessageId> ids = new java.util.ArrayList<>();
            for (int j = 0; j < 8; j++) {
                ids.add(message(9, T, "flood", 1000L * k + j).id());
            }
            ihave.ihave.add(new Rpc.IHave(T, ids));
            b.from(flooder, ihave);
        }
        assertThat(b.sentTo(flooder).stream().mapToLong(r -> r.iwant.size()).sum()).isEqualTo(20);
        // the honest peer's IHAVE is still answered
        PubSubMessage good = message(8, T, "good", 1);
        Rpc ihave = new Rpc();
        ihave.ihave.add(new Rpc.IHave(T, List.of(good.id())));
        b.from(honest, ihave);
        assertThat(b.sentTo(honest).stream().flatMap(r -> r.iwant.stream()))
                .containsExactly(good.id());

        // 100 IDONTWANT ids in one heartbeat: only the first 10 are kept, so the 11th message
        // still goes to the flooder once it is in our mesh
        b.graftFrom(flooder, T);
        Rpc dont = new Rpc();
        List<PubSubMessage> msgs = new java.util.ArrayList<>();
        for (int k = 0; k < 100; k++) {
            PubSubMessage m = message(7, T, "m", k + 1);
            msgs.add(m);
            dont.idontwant.add(m.id());
        }
        b.from(flooder, dont);
        b.clearSent();
        b.publishFrom(honest, msgs.get(0));
        b.publishFrom(honest, msgs.get(10));
        assertThat(b.messagesTo(flooder))
                .extracting(PubSubMessage::id)
                .containsExactly(msgs.get(10).id());
    }

    @Test
    void idontwantIsSentForLargeMessagesHonouredAndExpires() {
        RouterBed b =
                new RouterBed(
                        GossipConfig.builder().idontwantMinSize(200).build(),
                        ScoreParams.defaults());
        b.router.subscribe(T);
        PeerId a = b.connect(1, false, true);
        PeerId bb = b.connect(2, false, true);
        PeerId c11 = b.connect(3, false, false); // speaks v1.1: no IDONTWANT for it
        PeerId d = b.connect(4, false, true);
        for (PeerId p : List.of(a, bb, c11, d)) {
            b.graftFrom(p, T);
        }
        b.clearSent();

        PubSubMessage big = message(9, T, "x".repeat(300), 1);
        b.publishFrom(d, big);
        Set<PeerId> told = new HashSet<>();
        for (GossipRouter.Send s : b.urgent) {
            assertThat(Rpc.decode(s.rpc(), Rpc.Limits.defaults()).idontwant)
                    .containsExactly(big.id());
            told.add(s.peer());
        }
        assertThat(told).containsExactlyInAnyOrder(a, bb);
        PubSubMessage small = message(9, T, "small", 2);
        b.clearSent();
        b.publishFrom(d, small);
        assertThat(b.urgent).as("below idontwantMinSize").isEmpty();

        PubSubMessage x = message(9, T, "x", 10);
        PubSubMessage y = message(9, T, "y", 11);
        Rpc dont = new Rpc();
        dont.idontwant.add(x.id());
        dont.idontwant.add(y.id());
        b.from(a, dont);
        b.heartbeats(1);
        b.clearSent();
        b.publishFrom(d, x);
        assertThat(b.messagesTo(a)).as("a asked not to get x").isEmpty();
        assertThat(b.messagesTo(bb)).extracting(PubSubMessage::id).containsExactly(x.id());
        assertThat(b.messagesTo(c11)).extracting(PubSubMessage::id).containsExactly(x.id());

        b.heartbeats(3); // IDONTWANT is remembered for 3 heartbeats
        b.clearSent();
        b.publishFrom(d, y);
        assertThat(b.messagesTo(a)).extracting(PubSubMessage::id).containsExactly(y.id());
    }

    @Test
    void ihaveAdvertisesToNonMeshPeersAndIwantIsServedAtMostThreeTimes() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 6; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).isEqualTo(peers(1, 6));
        PeerId lazy = b.connect(7, false);
        b.subscribeFrom(lazy, T);
        MessageId id = b.router.publish(T, "gossip me".getBytes(StandardCharsets.UTF_8));
        b.clearSent();
        b.heartbeats(1);
        for (int i = 1; i <= 6; i++) {
            assertThat(b.sentTo(peer(i))).allMatch(r -> r.ihave.isEmpty());
        }
        assertThat(b.sentTo(lazy).stream().flatMap(r -> r.ihave.stream()))
                .singleElement()
                .satisfies(h -> assertThat(h.ids()).containsExactly(id));

        b.clearSent();
        Rpc iwant = new Rpc();
        iwant.iwant.add(id);
        for (int i = 0; i < 4; i++) {
            b.from(lazy, iwant);
        }
        assertThat(b.messagesTo(lazy)).as("maxIWantRetransmits").hasSize(3);
        assertThat(b.messagesTo(lazy).get(0).id()).isEqualTo(id);

        // An IHAVE gets an IWANT for what we have not seen, in subscribed topics only.
        b.clearSent();
        MessageId unseen = message(9, T, "new", 5).id();
        Rpc ihave = new Rpc();
        ihave.ihave.add(new Rpc.IHave(T, List.of(unseen, id)));
        ihave.ihave.add(new Rpc.IHave("other", List.of(message(9, "other", "o", 6).id())));
        b.from(lazy, ihave);
        assertThat(b.sentTo(lazy).stream().flatMap(r -> r.iwant.stream())).containsExactly(unseen);
    }

    @Test
    void pruneWithPeerExchangeDialsOnlyFromWellScoredPeers() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId good = b.connect(1, true);
        PeerId plain = b.connect(2, true);
        b.subscribeFrom(good, T);
        b.subscribeFrom(plain, T);
        b.heartbeats(1);
        b.router.setApplicationScore(good, 20); // above acceptPxThreshold (10)
        b.clearSent();
        b.pruneFrom(good, T, 60, List.of(peer(50), peer(51), peer(0), plain));
        assertThat(b.other)
                .containsExactly(new GossipRouter.Dial(peer(50)), new GossipRouter.Dial(peer(51)));
        b.clearSent();
        b.pruneFrom(plain, T, 60, List.of(peer(52)));
        assertThat(b.other).as("score 0 is below acceptPxThreshold").isEmpty();
        assertThat(b.router.meshPeers(T)).isEmpty();
    }

    /**
     * v1.1 peer exchange with signed peer records: a well-scored peer's PRUNE is followed to the
     * addresses each PX peer signed; a record whose signature fails or that belongs to another peer
     * is not dialed (and reported); a PX peer without a record is dialed at a known address.
     */
    @Test
    void pruneWithSignedPeerRecordsDialsTheSignedAddressesAndSkipsForgedOnes() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId good = b.connect(1, true);
        b.subscribeFrom(good, T);
        b.heartbeats(1);
        b.router.setApplicationScore(good, 20); // above acceptPxThreshold (10)
        b.clearSent();
        io.ipdm.mesh.multiaddr.Multiaddr a50 =
                io.ipdm.mesh.multiaddr.Multiaddr.parse("/ip4/10.0.0.50/tcp/4001");
        byte[] r50 =
                new io.ipdm.mesh.identity.PeerRecord(peer(50), 3, List.of(a50))
                        .seal(RouterBed.key(50));
        byte[] forged =
                new io.ipdm.mesh.identity.PeerRecord(
                                peer(51),
                                1,
                                List.of(
                                        io.ipdm.mesh.multiaddr.Multiaddr.parse(
                                                "/ip4/10.0.0.51/tcp/4001")))
                        .seal(RouterBed.key(51));
        forged[forged.length - 1] ^= 1; // the last signature byte
        byte[] r53 =
                new io.ipdm.mesh.identity.PeerRecord(
                                peer(53),
                                1,
                                List.of(
                                        io.ipdm.mesh.multiaddr.Multiaddr.parse(
                                                "/ip4/10.0.0.53/tcp/4001")))
                        .seal(RouterBed.key(53));
        b.pruneFromWith(
                good,
                T,
                60,
                List.of(
                        new Rpc.PxPeer(peer(50).toBytes(), r50),
                        new Rpc.PxPeer(peer(51).toBytes(), forged),
                        new Rpc.PxPeer(peer(52).toBytes(), r53), // 53's record offered as 52
                        new Rpc.PxPeer(peer(54).toBytes())));
        assertThat(b.other)
                .filteredOn(o -> o instanceof GossipRouter.Dial)
                .containsExactly(
                        new GossipRouter.Dial(peer(50), List.of(a50)),
                        new GossipRouter.Dial(peer(54)));
        assertThat(b.other)
                .filteredOn(o -> o instanceof GossipRouter.Rejected)
                .extracting(o -> ((GossipRouter.Rejected) o).reason())
                .containsExactly(
                        "peer exchange: signed peer record of "
                                + peer(51)
                                + ": signature does not verify against the enclosed key",
                        "peer exchange: the signed record for "
                                + peer(52)
                                + " is "
                                + peer(53)
                                + "'s");
        assertThat(b.router.score(good)).as("the relay is not penalised").isGreaterThan(10);
        assertThat(b.router.peerRecordOf(peer(50)).seq()).isEqualTo(3);
        assertThat(b.router.peerRecordOf(peer(51))).isNull();
    }

    /** Our PRUNEs offer the signed records we hold for the peers we exchange. */
    @Test
    void ourPeerExchangeCarriesTheSignedRecordsWeHold() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 12; i++) {
            PeerId p = b.connect(i, false);
            b.graftFrom(p, T);
            io.ipdm.mesh.identity.PeerRecord rec =
                    b.router.peerRecord(
                            new io.ipdm.mesh.identity.PeerRecord(
                                            p,
                                            i,
                                            List.of(
                                                    io.ipdm.mesh.multiaddr.Multiaddr.parse(
                                                            "/ip4/10.0.1." + i + "/tcp/4001")))
                                    .seal(RouterBed.key(i)));
            assertThat(rec.peer()).isEqualTo(p);
        }
        byte[] tampered =
                new io.ipdm.mesh.identity.PeerRecord(peer(5), 99, List.of()).seal(RouterBed.key(5));
        tampered[tampered.length - 1] ^= 1;
        assertThat(b.router.peerRecord(tampered)).as("does not verify").isNull();
        assertThat(b.router.peerRecordOf(peer(5)).seq()).isEqualTo(5);

        PeerId extra = b.connect(13, false);
        b.graftFrom(extra, T);
        Rpc.Prune pr = b.prunesTo(extra).get(0);
        assertThat(pr.peers()).hasSize(12);
        for (Rpc.PxPeer px : pr.peers()) {
            io.ipdm.mesh.identity.PeerRecord rec =
                    io.ipdm.mesh.identity.PeerRecord.open(px.signedPeerRecord());
            assertThat(rec.peer().toBytes()).isEqualTo(px.peerId());
            assertThat(rec.addresses()).hasSize(1);
        }
    }

    @Test
    void invalidMessagesCostP4AndGraylist() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId p = b.connect(1, true);
        b.subscribeFrom(p, T);
        byte[] forged =
                new ProtoWriter()
                        .bytes(1, peer(9).toBytes())
                        .bytes(2, "forged".getBytes(StandardCharsets.UTF_8))
                        .bytes(3, new byte[] {0, 0, 0, 0, 0, 0, 0, 1})
                        .string(4, T)
                        .bytes(5, RouterBed.key(9).sign("other".getBytes(StandardCharsets.UTF_8)))
                        .toByteArray();
        Rpc r = new Rpc();
        r.publish.add(forged);
        b.from(p, r);
        assertThat(b.router.metrics().invalid()).isEqualTo(1);
        assertThat(b.router.score(p)).isCloseTo(-100, within(1e-9)); // P4: -100 * 1^2
        assertThat(b.other)
                .filteredOn(o -> o instanceof GossipRouter.Rejected)
                .containsExactly(
                        new GossipRouter.Rejected(
                                p, T, "message signature does not verify for author " + peer(9)));
        assertThat(b.other).noneMatch(o -> o instanceof GossipRouter.Deliver);

        b.publishFrom(p, message(9, T, "valid but graylisted", 2));
        assertThat(b.router.metrics().graylistedRpcs()).isEqualTo(1);
        assertThat(b.other).noneMatch(o -> o instanceof GossipRouter.Deliver);

        // An honest peer's message is delivered.
        PeerId h = b.connect(2, true);
        b.subscribeFrom(h, T);
        b.publishFrom(h, message(9, T, "fine", 3));
        assertThat(b.other)
                .filteredOn(o -> o instanceof GossipRouter.Deliver)
                .singleElement()
                .satisfies(o -> assertThat(((GossipRouter.Deliver) o).from()).isEqualTo(h));
    }

    @Test
    void meshDeliveryDeficitP3PrunesASilentPeerAndLeavesP3b() {
        ScoreParams sp =
                ScoreParams.builder()
                        .meshMessageDeliveriesWeight(-1)
                        .meshMessageDeliveriesThreshold(2)
                        .meshMessageDeliveriesActivation(Duration.ofSeconds(2))
                        .meshMessageDeliveriesDecay(0.9)
                        .meshFailurePenaltyWeight(-1)
                        .meshFailurePenaltyDecay(0.9)
                        .build();
        RouterBed b = new RouterBed(GossipConfig.defaults(), sp);
        b.router.subscribe(T);
        PeerId silent = b.connect(1, true);
        PeerId busy = b.connect(2, true);
        b.subscribeFrom(silent, T);
        b.subscribeFrom(busy, T);
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).containsExactlyInAnyOrder(silent, busy);
        long seq = 100;
        for (int s = 0; s < 6; s++) {
            for (int k = 0; k < 3; k++) {
                b.publishFrom(busy, message(9, T, "m" + seq, seq++));
            }
            b.heartbeats(1);
        }
        assertThat(b.router.meshPeers(T)).containsExactly(busy);
        assertThat(b.prunesTo(silent)).isNotEmpty();
        // P3b: the deficit at prune time (2^2) stays as a penalty, decaying.
        assertThat(b.router.score(silent)).isLessThan(0).isGreaterThan(-4);
        assertThat(b.router.score(busy)).isGreaterThan(0);
    }

    @Test
    void floodPublishReachesEverySubscribedPeerAbovePublishThreshold() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 10; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        b.heartbeats(1);
        b.router.setApplicationScore(peer(10), -60); // below publishThreshold (-50)
        b.clearSent();
        MessageId id = b.router.publish(T, "flood".getBytes(StandardCharsets.UTF_8));
        b.drain();
        for (int i = 1; i <= 10; i++) {
            assertThat(b.messagesTo(peer(i)).stream().map(PubSubMessage::id).toList())
                    .as("peer " + i)
                    .isEqualTo(i <= 9 ? List.of(id) : List.of());
        }

        RouterBed meshOnly =
                new RouterBed(
                        GossipConfig.defaults().withFloodPublish(false), ScoreParams.defaults());
        meshOnly.router.subscribe(T);
        for (int i = 1; i <= 10; i++) {
            meshOnly.subscribeFrom(meshOnly.connect(i, true), T);
        }
        meshOnly.heartbeats(1);
        meshOnly.clearSent();
        meshOnly.router.publish(T, "mesh".getBytes(StandardCharsets.UTF_8));
        meshOnly.drain();
        List<PeerId> got = new ArrayList<>();
        IntStream.rangeClosed(1, 10)
                .filter(i -> !meshOnly.messagesTo(peer(i)).isEmpty())
                .forEach(i -> got.add(peer(i)));
        assertThat(got).containsExactlyInAnyOrderElementsOf(meshOnly.router.meshPeers(T));
    }

    @Test
    void buildersValidateAndNameTheBrokenConstraint() {
        assertThatThrownBy(() -> GossipConfig.builder().degree(6, 7, 12).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("D_lo <= D <= D_hi (got D_lo=7, D=6, D_hi=12)");
        assertThatThrownBy(() -> GossipConfig.builder().dOut(5).build())
                .hasMessageContaining("D_out < D_lo and D_out <= D/2 (got D_out=5, D_lo=5)");
        assertThatThrownBy(() -> ScoreParams.builder().gossipThreshold(-100).build())
                .hasMessage("thresholds must satisfy graylist <= publish <= gossip <= 0");
        assertThatThrownBy(() -> ScoreParams.builder().behaviourPenaltyDecay(1.5).build())
                .hasMessage("decay factors must be in (0, 1), got 1.5");
        GossipConfig c = GossipConfig.defaults();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.withHeartbeat(Duration.ofMillis(100)).heartbeatInterval())
                .isEqualTo(Duration.ofMillis(100));
        assertThat(ScoreParams.defaults().toBuilder().build()).isEqualTo(ScoreParams.defaults());
    }
}
