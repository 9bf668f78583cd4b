package io.ipdm.mesh.gossipsub;

import static io.ipdm.mesh.gossipsub.RouterBed.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream lifecycle, subscriptions, wire violations and timers of the router, at virtual time. */
class GossipRouterStreamsTest {
    private static final String T = "t";

    private static RouterBed bed() {
        return new RouterBed(GossipConfig.defaults(), ScoreParams.defaults());
    }

    private static List<GossipRouter.Output> drainRaw(GossipRouter r) {
        List<GossipRouter.Output> out = new ArrayList<>();
        GossipRouter.Output o;
        while ((o = r.poll()) != null) {
            out.add(o);
        }
        return out;
    }

    @Test
    void rpcsWaitForTheOutboundStreamAndFollowOurSubscriptions() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId p = peer(1);
        b.router.connected(p, true, "10.0.0.1");
        List<GossipRouter.Output> first = drainRaw(b.router);
        assertThat(first).containsExactly(new GossipRouter.OpenStream(p));
        b.router.rpc(p, subscribe(T));
        MessageId id = b.router.publish(T, "queued".getBytes(StandardCharsets.UTF_8));
        assertThat(drainRaw(b.router))
                .as("nothing is sent before the stream is open; no second OpenStream")
                .noneMatch(
                        o ->
                                o instanceof GossipRouter.Send
                                        || o instanceof GossipRouter.OpenStream);
        b.router.outboundStreamOpened(p, true);
        b.drain();
        List<Rpc> sent = b.sentTo(p);
        assertThat(sent.get(0).subscriptions).containsExactly(new Rpc.SubOpts(true, T));
        assertThat(b.messagesTo(p)).extracting(PubSubMessage::id).containsExactly(id);

        // The stream resets: the next RPC is queued and a new stream requested.
        b.router.outboundStreamClosed(p);
        b.clearSent();
        b.router.publish(T, "again".getBytes(StandardCharsets.UTF_8));
        assertThat(drainRaw(b.router)).containsExactly(new GossipRouter.OpenStream(p));
    }

    @Test
    void aPeerWithoutMeshsubIsNeverGrafted() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId p = peer(1);
        b.router.connected(p, true, null);
        b.router.rpc(p, subscribe(T)); // it can still talk to us on its own stream
        b.router.outboundStreamFailed(p);
        b.drain();
        b.heartbeats(2);
        assertThat(b.router.meshPeers(T)).isEmpty();
        assertThat(b.sentTo(p)).isEmpty();
    }

    @Test
    void unsubscribeAnnouncesAndPrunesWithTheUnsubscribeBackoff() {
        RouterBed b = bed();
        b.router.subscribe(T);
        PeerId p = b.connect(1, true);
        PeerId q = b.connect(2, true);
        b.subscribeFrom(p, T);
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).containsExactly(p);
        b.clearSent();
        assertThat(b.router.unsubscribe(T)).isTrue();
        assertThat(b.router.unsubscribe(T)).isFalse();
        b.drain();
        assertThat(b.sentTo(q).get(0).subscriptions).containsExactly(new Rpc.SubOpts(false, T));
        assertThat(b.prunesTo(p))
                .singleElement()
                .satisfies(pr -> assertThat(pr.backoffSeconds()).isEqualTo(10));
        assertThat(b.router.inBackoff(p, T)).isTrue();
        assertThat(b.router.metrics().meshSizes()).doesNotContainKey(T);
    }

    @Test
    void graftForATopicWeDoNotSubscribeIsRefusedWithoutBackoff() {
        RouterBed b = bed();
        PeerId p = b.connect(1, false);
        b.graftFrom(p, "elsewhere");
        assertThat(b.prunesTo(p))
                .singleElement()
                .satisfies(
                        pr -> {
                            assertThat(pr.topic()).isEqualTo("elsewhere");
                            assertThat(pr.backoffSeconds()).isZero();
                        });
        assertThat(b.router.inBackoff(p, "elsewhere")).isFalse();
        assertThat(b.router.score(p)).isZero();
    }

    @Test
    void frameErrorsDisconnectAndMalformedRpcsArePenalised() {
        RouterBed b = bed();
        PeerId p = b.connect(1, false);
        b.router.rpc(p, new byte[] {0x12, 100, 1, 2}); // field 2 claims 100 bytes, 2 follow
        b.router.rpc(p, new byte[] {0x12, 100, 1, 2});
        b.drain();
        assertThat(b.router.metrics().malformedRpcs()).isEqualTo(2);
        assertThat(b.router.score(p)).isCloseTo(-10, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(b.other)
                .as("refused and logged, not disconnected")
                .hasSize(2)
                .allSatisfy(
                        o ->
                                assertThat(o)
                                        .isInstanceOfSatisfying(
                                                GossipRouter.Rejected.class,
                                                r -> {
                                                    assertThat(r.peer()).isEqualTo(p);
                                                    assertThat(r.reason())
                                                            .startsWith("malformed RPC: ");
                                                }));
        b.clearSent();

        PeerId q = b.connect(2, false);
        b.router.frameError(q, "RPC of 8388608 bytes exceeds 1114112");
        b.drain();
        assertThat(b.other)
                .containsExactly(
                        new GossipRouter.Disconnect(
                                q,
                                "gossipsub protocol violation: RPC of 8388608 bytes exceeds 1114112"));
        assertThat(b.router.score(q)).isLessThan(-80);
    }

    @Test
    void aDisconnectedMeshPeerIsReplacedAtTheNextHeartbeat() {
        RouterBed b = bed();
        b.router.subscribe(T);
        for (int i = 1; i <= 7; i++) {
            b.subscribeFrom(b.connect(i, true), T);
        }
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).hasSize(6);
        PeerId gone = b.router.meshPeers(T).iterator().next();
        b.router.disconnected(gone);
        assertThat(b.router.meshPeers(T)).hasSize(5).doesNotContain(gone);
        assertThat(b.router.peers()).doesNotContain(gone);
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T)).as("5 is D_lo: nothing to do yet").hasSize(5);
        b.router.disconnected(b.router.meshPeers(T).iterator().next());
        b.heartbeats(1);
        assertThat(b.router.meshPeers(T))
                .as("below D_lo: every remaining candidate grafted")
                .hasSize(5);
    }

    @Test
    void tickRunsTheHeartbeatOnlyWhenDue() {
        RouterBed b = bed();
        long first = b.router.nextTimer();
        assertThat(first - b.now).isEqualTo(Duration.ofSeconds(1).toNanos());
        b.now = first - 1;
        b.router.tick();
        assertThat(b.router.nextTimer()).isEqualTo(first);
        b.now = first;
        b.router.tick();
        assertThat(b.router.nextTimer()).isEqualTo(first + Duration.ofSeconds(1).toNanos());
        // A driver that stalled for 10 s gets one heartbeat per tick, not a burst of ten.
        b.now = first + Duration.ofSeconds(11).toNanos();
        b.router.tick();
        assertThat(b.router.nextTimer()).isEqualTo(b.now);
    }

    private static byte[] subscribe(String topic) {
        Rpc r = new Rpc();
        r.subscriptions.add(new Rpc.SubOpts(true, topic));
        return r.encode();
    }
}
