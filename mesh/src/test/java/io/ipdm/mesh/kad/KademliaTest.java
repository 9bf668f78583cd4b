package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multihash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One engine driven by hand at virtual time: buckets, liveness, inbound validation, the guard. */
class KademliaTest {
    private static final String KAD = KadConfig.PROTOCOL;
    private final SimNet.Clock clock = new SimNet.Clock();
    private final SplittableRandom random = new SplittableRandom(1);

    private PeerId peer() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    private static List<Multiaddr> addr(int i) {
        return List.of(Multiaddr.parse("/ip4/10.0.0." + i + "/tcp/4001"));
    }

    /** Peers that fall into bucket 0 (first bit differs) of {@code self}. */
    private List<PeerId> farPeers(PeerId self, int n) {
        KadKey s = KadKey.of(self);
        List<PeerId> out = new ArrayList<>();
        while (out.size() < n) {
            PeerId p = peer();
            if (s.commonPrefixLength(KadKey.of(p)) == 0) {
                out.add(p);
            }
        }
        return out;
    }

    private static KadAction.SendRequest onlyRequest(List<KadAction> actions) {
        assertThat(actions).hasSize(1);
        return (KadAction.SendRequest) actions.get(0);
    }

    @Test
    void aFullBucketProbesItsStalestContactAndEvictsItWhenItDoesNotAnswer() {
        KadConfig cfg = KadConfig.defaults().toBuilder().k(2).maxPeersPerMessage(10).build();
        Kademlia kad = new Kademlia(peer(), cfg, clock, random);
        List<PeerId> p = farPeers(kad.self(), 4);
        kad.peerIdentified(p.get(0), List.of(KAD), addr(1));
        clock.now += 1000;
        kad.peerIdentified(p.get(1), List.of(KAD), addr(2));
        // Within staleAfter: a newcomer to the full bucket waits, no probe.
        kad.peerIdentified(p.get(2), List.of(KAD), addr(3));
        assertThat(kad.drainActions()).isEmpty();
        assertThat(kad.routingTable())
                .extracting(RoutingEntry::peer)
                .containsExactly(p.get(0), p.get(1));

        clock.now += cfg.staleAfter().toMillis();
        kad.peerIdentified(p.get(3), List.of(KAD), addr(4));
        KadAction.SendRequest probe = onlyRequest(kad.drainActions());
        assertThat(probe.peer()).isEqualTo(p.get(0));
        assertThat(probe.addrs()).isEqualTo(addr(1));
        assertThat(probe.message().type()).isEqualTo(KadMessage.Type.FIND_NODE);
        kad.onRequestFailed(probe.id(), "connection refused");
        // The stale contact is gone; the newest waiting newcomer took its place.
        assertThat(kad.routingTable())
                .extracting(RoutingEntry::peer)
                .containsExactly(p.get(1), p.get(3));
        assertThat(kad.routingTable().get(0).bucket()).isZero();
    }

    @Test
    void aStaleContactThatAnswersTheProbeKeepsItsPlace() {
        KadConfig cfg = KadConfig.defaults().toBuilder().k(2).maxPeersPerMessage(10).build();
        Kademlia kad = new Kademlia(peer(), cfg, clock, random);
        List<PeerId> p = farPeers(kad.self(), 3);
        kad.peerIdentified(p.get(0), List.of(KAD), addr(1));
        kad.peerIdentified(p.get(1), List.of(KAD), addr(2));
        clock.now += cfg.staleAfter().toMillis();
        kad.peerIdentified(p.get(2), List.of(KAD), addr(3));
        KadAction.SendRequest probe = onlyRequest(kad.drainActions());
        kad.onResponse(
                probe.id(),
                KadMessage.response(
                        KadMessage.Type.FIND_NODE, probe.message().key(), List.of(), List.of()));
        // Answered: moved to most recently seen; the newcomer stays out.
        assertThat(kad.routingTable())
                .extracting(RoutingEntry::peer)
                .containsExactly(p.get(1), p.get(0));
    }

    @Test
    void contactsThatFailRepeatedlyLeaveTheTableAndClientsNeverEnterIt() {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        PeerId server = peer();
        PeerId client = peer();
        kad.peerIdentified(server, List.of(KAD, "/ipfs/id/1.0.0"), addr(1));
        kad.peerIdentified(client, List.of("/ipfs/id/1.0.0"), addr(2));
        assertThat(kad.routingTable()).extracting(RoutingEntry::peer).containsExactly(server);
        kad.closestPeers(new byte[] {1}, Duration.ofSeconds(30));
        KadAction.SendRequest r1 = onlyRequest(kad.drainActions());
        clock.now += 10_001;
        kad.tick(); // request timeout
        assertThat(kad.routingTable()).extracting(RoutingEntry::failures).containsExactly(1);
        kad.closestPeers(new byte[] {2}, Duration.ofSeconds(30));
        KadAction.SendRequest r2 = onlyRequest(kad.drainActions());
        assertThat(r2.id()).isNotEqualTo(r1.id());
        kad.onRequestFailed(r2.id(), "reset");
        assertThat(kad.routingTable()).isEmpty();
        // A late answer to the timed-out request is ignored.
        kad.onResponse(
                r1.id(),
                KadMessage.response(
                        KadMessage.Type.FIND_NODE, new byte[] {1}, List.of(), List.of()));
        assertThat(kad.routingTable()).isEmpty();
    }

    @Test
    void addProviderIsStoredOnlyForTheSenderWithAnAddress() {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        PeerId sender = peer();
        PeerId other = peer();
        byte[] key = Multihash.sha2_256(new byte[] {7}).toBytes();
        // A record for another peer: dropped, sender penalized, stream refused.
        KadMessage forOther =
                new KadMessage(
                        KadMessage.Type.ADD_PROVIDER,
                        key,
                        null,
                        List.of(),
                        List.of(KadPeer.of(other, addr(9))));
        assertThat(kad.onRequest(sender, forOther)).isInstanceOf(InboundResult.Refuse.class);
        assertThat(kad.localProviders(key)).isEmpty();
        assertThat(kad.penalty(sender)).isEqualTo(Kademlia.BOGUS_PROVIDER_POINTS);
        // The sender's own record without a usable address (garbage addresses are dropped by the
        // codec).
        KadMessage noAddr =
                new KadMessage(
                        KadMessage.Type.ADD_PROVIDER,
                        key,
                        null,
                        List.of(),
                        List.of(KadPeer.of(sender, List.of())));
        assertThat(kad.onRequest(sender, noAddr)).isInstanceOf(InboundResult.Refuse.class);
        assertThat(kad.localProviders(key)).isEmpty();
        // A key that is not a multihash.
        KadMessage badKey =
                new KadMessage(
                        KadMessage.Type.ADD_PROVIDER,
                        new byte[] {(byte) 0x99},
                        null,
                        List.of(),
                        List.of(KadPeer.of(sender, addr(1))));
        assertThat(kad.onRequest(sender, badKey)).isInstanceOf(InboundResult.Refuse.class);
        // The real thing.
        KadMessage good =
                new KadMessage(
                        KadMessage.Type.ADD_PROVIDER,
                        key,
                        null,
                        List.of(),
                        List.of(KadPeer.of(sender, addr(1))));
        assertThat(kad.onRequest(sender, good)).isEqualTo(new InboundResult.NoResponse());
        assertThat(kad.localProviders(key))
                .containsExactly(
                        new ProviderRecord(
                                sender, addr(1), clock.instant().plus(Duration.ofHours(48))));
        InboundResult answer =
                kad.onRequest(other, KadMessage.request(KadMessage.Type.GET_PROVIDERS, key));
        assertThat(((InboundResult.Respond) answer).message().providerPeers())
                .containsExactly(KadPeer.of(sender, addr(1)));
        // A PUT_VALUE without a record is refused without penalty.
        assertThat(kad.onRequest(other, KadMessage.request(KadMessage.Type.PUT_VALUE, key)))
                .isEqualTo(
                        new InboundResult.Refuse("PUT_VALUE refused: PUT_VALUE without a record"));
        assertThat(kad.penalty(other)).isZero();
        // A /pk record carrying another peer's key is refused and penalized; a valid one is
        // stored, echoed and served by GET_VALUE.
        io.ipdm.mesh.identity.Ed25519KeyPair kp = io.ipdm.mesh.identity.Ed25519KeyPair.generate();
        byte[] pkKey = new byte[4 + kp.peerId().toBytes().length];
        System.arraycopy(
                "/pk/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, pkKey, 0, 4);
        System.arraycopy(kp.peerId().toBytes(), 0, pkKey, 4, pkKey.length - 4);
        byte[] forged =
                ValueRecords.encodeRecord(
                        pkKey,
                        io.ipdm.mesh.identity.Ed25519KeyPair.generate().publicKey().toProtobuf());
        assertThat(
                        kad.onRequest(
                                other,
                                new KadMessage(
                                        KadMessage.Type.PUT_VALUE,
                                        pkKey,
                                        forged,
                                        List.of(),
                                        List.of())))
                .isInstanceOf(InboundResult.Refuse.class);
        assertThat(kad.penalty(other)).isPositive();
        KadMessage put =
                new KadMessage(
                        KadMessage.Type.PUT_VALUE,
                        pkKey,
                        ValueRecords.encodeRecord(pkKey, kp.publicKey().toProtobuf()),
                        List.of(),
                        List.of());
        assertThat(kad.onRequest(peer(), put)).isEqualTo(new InboundResult.Respond(put));
        InboundResult got =
                kad.onRequest(other, KadMessage.request(KadMessage.Type.GET_VALUE, pkKey));
        assertThat(((InboundResult.Respond) got).message().record()).isEqualTo(put.record());
    }

    @Test
    void aFloodingPeerIsRateLimitedThenBannedWhileOthersAreServed() {
        KadConfig cfg =
                KadConfig.defaults().toBuilder()
                        .inboundRate(10, 20)
                        .ban(30, Duration.ofMinutes(10))
                        .build();
        Kademlia kad = new Kademlia(peer(), cfg, clock, random);
        PeerId flooder = peer();
        PeerId honest = peer();
        kad.peerIdentified(honest, List.of(KAD), addr(2));
        KadMessage req = KadMessage.request(KadMessage.Type.FIND_NODE, new byte[] {1});
        int served = 0;
        for (int i = 0; i < 100; i++) {
            if (kad.onRequest(flooder, req) instanceof InboundResult.Respond) {
                served++;
            }
        }
        assertThat(served).isEqualTo(20);
        assertThat(kad.isBanned(flooder)).isTrue();
        assertThat(kad.drainActions())
                .singleElement()
                .isInstanceOfSatisfying(
                        KadAction.Disconnect.class,
                        d -> {
                            assertThat(d.peer()).isEqualTo(flooder);
                            assertThat(d.reason()).contains("over the request rate");
                        });
        assertThat(kad.onRequest(honest, req)).isInstanceOf(InboundResult.Respond.class);
        // A second later the flooder has tokens again but stays banned.
        clock.now += 1000;
        assertThat(kad.onRequest(flooder, req))
                .isEqualTo(
                        new InboundResult.Refuse("peer " + flooder + " is banned for misbehaving"));
        kad.peerConnected(flooder);
        assertThat(kad.drainActions()).singleElement().isInstanceOf(KadAction.Disconnect.class);
        clock.now += Duration.ofMinutes(10).toMillis();
        assertThat(kad.onRequest(flooder, req)).isInstanceOf(InboundResult.Respond.class);
    }

    @Test
    void malformedMessagesPenalizeUntilBanned() {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        PeerId bad = peer();
        kad.peerIdentified(bad, List.of(KAD), addr(3));
        for (int i = 0; i < 3; i++) {
            kad.onMalformed(bad, "kad message of 2000000 bytes exceeds the limit of 1048576");
        }
        assertThat(kad.isBanned(bad)).isFalse();
        kad.onMalformed(bad, "malformed kad message: truncated varint");
        assertThat(kad.isBanned(bad)).isTrue();
        assertThat(kad.routingTable()).isEmpty();
        assertThat(kad.stats().bannedPeers()).isEqualTo(1);
    }

    @Test
    void findNodeAnswersTheClosestPeersWithAKnownTargetFirstAndWithoutTheRequester() {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        kad.setLocalAddresses(addr(100));
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            PeerId p = peer();
            peers.add(p);
            kad.peerIdentified(p, List.of(KAD), addr(i + 1));
        }
        PeerId asker = peers.get(0);
        KadMessage self =
                ((InboundResult.Respond)
                                kad.onRequest(
                                        asker,
                                        KadMessage.request(
                                                KadMessage.Type.FIND_NODE, kad.self().toBytes())))
                        .message();
        assertThat(self.closerPeers()).containsExactly(KadPeer.of(kad.self(), addr(100)));
        KadMessage exact =
                ((InboundResult.Respond)
                                kad.onRequest(
                                        asker,
                                        KadMessage.request(
                                                KadMessage.Type.FIND_NODE, peers.get(5).toBytes())))
                        .message();
        assertThat(exact.closerPeers())
                .hasSize(20)
                .first()
                .isEqualTo(KadPeer.of(peers.get(5), addr(6)));
        assertThat(exact.closerPeers()).extracting(KadPeer::id).doesNotContain(asker);
        // A joining node looks up its own id through its bootstrap peer, which knows it since
        // identify: the answer must name the others (the k closest to it), not only itself, or
        // the joining node learns nobody but its bootstrap peer.
        KadMessage own =
                ((InboundResult.Respond)
                                kad.onRequest(
                                        asker,
                                        KadMessage.request(
                                                KadMessage.Type.FIND_NODE, asker.toBytes())))
                        .message();
        KadKey askerKey = KadKey.of(asker);
        assertThat(own.closerPeers())
                .extracting(KadPeer::id)
                .containsExactlyElementsOf(
                        peers.stream()
                                .filter(p -> !p.equals(asker))
                                .sorted(
                                        java.util.Comparator.comparing(
                                                KadKey::of, askerKey.byDistance()))
                                .limit(20)
                                .toList());
        // A key that looks like an identity peer id but whose inlined key is broken protobuf.
        byte[] brokenId = {0x00, 0x02, 0x08, (byte) 0xFF};
        KadMessage broken =
                ((InboundResult.Respond)
                                kad.onRequest(
                                        asker,
                                        KadMessage.request(KadMessage.Type.FIND_NODE, brokenId)))
                        .message();
        assertThat(broken.closerPeers()).hasSize(20);
        KadMessage some =
                ((InboundResult.Respond)
                                kad.onRequest(
                                        asker,
                                        KadMessage.request(
                                                KadMessage.Type.FIND_NODE, new byte[] {42})))
                        .message();
        assertThat(some.closerPeers()).hasSize(20).extracting(KadPeer::id).doesNotContain(asker);
    }

    @Test
    void manyProvidesAreAnnouncedAFewAtATime() {
        KadConfig cfg = KadConfig.defaults().toBuilder().maxConcurrentProvides(2).build();
        Kademlia kad = new Kademlia(peer(), cfg, clock, random);
        kad.setLocalAddresses(addr(100));
        PeerId server = peer();
        kad.peerIdentified(server, List.of(KAD), addr(1));
        List<java.util.concurrent.CompletableFuture<ProvideResult>> done = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            done.add(kad.provide(Multihash.sha2_256(new byte[] {(byte) i}).toBytes()));
        }
        assertThat(kad.stats().queuedProvides()).isEqualTo(8);
        for (int i = 0; i < 10; i++) {
            // Our own record is stored at once, whatever the queue.
            assertThat(kad.localProviders(Multihash.sha2_256(new byte[] {(byte) i}).toBytes()))
                    .extracting(ProviderRecord::provider)
                    .containsExactly(kad.self());
        }
        int rounds = 0;
        while (done.stream().anyMatch(f -> !f.isDone())) {
            List<KadAction> actions = kad.drainActions();
            List<KadAction.SendRequest> lookups =
                    actions.stream()
                            .map(KadAction.SendRequest.class::cast)
                            .filter(KadAction.SendRequest::expectResponse)
                            .toList();
            assertThat(lookups).hasSizeLessThanOrEqualTo(2);
            for (KadAction.SendRequest r : lookups) {
                kad.onResponse(
                        r.id(),
                        KadMessage.response(
                                KadMessage.Type.FIND_NODE,
                                r.message().key(),
                                List.of(),
                                List.of()));
            }
            assertThat(++rounds).isLessThan(20);
        }
        assertThat(done).allSatisfy(f -> assertThat(f.join().sentTo()).containsExactly(server));
        assertThat(kad.stats().queuedProvides()).isZero();
    }
}
