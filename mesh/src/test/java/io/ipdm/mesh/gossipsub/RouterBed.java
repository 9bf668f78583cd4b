package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One {@link GossipRouter} at virtual time, with hand-driven remote peers: the test speaks their
 * RPCs and reads what the router sends them. No sockets, no sleeps.
 */
final class RouterBed {
    long now = 1_000_000_000L;
    final GossipRouter router;
    final GossipConfig cfg;

    /** What the router sent each peer since the last {@link #clearSent()}. */
    final Map<PeerId, List<Rpc>> sent = new LinkedHashMap<>();

    final List<GossipRouter.Output> other = new ArrayList<>();
    final List<GossipRouter.Send> urgent = new ArrayList<>();

    RouterBed(GossipConfig cfg, ScoreParams sp) {
        this.cfg = cfg;
        this.router = new GossipRouter(key(0), cfg, sp, () -> now, new SplittableRandom(7), 0);
    }

    static Ed25519KeyPair key(int i) {
        byte[] seed = new byte[32];
        seed[0] = (byte) i;
        seed[1] = (byte) (i >> 8);
        seed[31] = 1;
        return Ed25519KeyPair.fromSeed(seed);
    }

    static PeerId peer(int i) {
        return key(i).peerId();
    }

    /** Connects peer {@code i} and opens our stream to it (v1.2 unless {@code v12} is false). */
    PeerId connect(int i, boolean outbound, boolean v12) {
        PeerId p = peer(i);
        router.connected(p, outbound, "10.0." + (i >> 8) + "." + (i & 255));
        router.outboundStreamOpened(p, v12);
        drain();
        return p;
    }

    PeerId connect(int i, boolean outbound) {
        return connect(i, outbound, true);
    }

    /** Executes the router's outputs: sends are decoded and recorded per peer. */
    void drain() {
        GossipRouter.Output o;
        while ((o = router.poll()) != null) {
            if (o instanceof GossipRouter.Send s) {
                sent.computeIfAbsent(s.peer(), k -> new ArrayList<>())
                        .add(Rpc.decode(s.rpc(), Rpc.Limits.defaults()));
                if (s.urgent()) {
                    urgent.add(s);
                }
            } else if (!(o instanceof GossipRouter.OpenStream)) {
                other.add(o);
            }
        }
    }

    void clearSent() {
        sent.clear();
        other.clear();
        urgent.clear();
    }

    List<Rpc> sentTo(PeerId p) {
        return sent.getOrDefault(p, List.of());
    }

    boolean graftedTo(PeerId p, String topic) {
        return sentTo(p).stream().anyMatch(r -> r.graft.contains(topic));
    }

    List<Rpc.Prune> prunesTo(PeerId p) {
        return sentTo(p).stream().flatMap(r -> r.prune.stream()).toList();
    }

    List<PubSubMessage> messagesTo(PeerId p) {
        return sentTo(p).stream()
                .flatMap(r -> r.publish.stream())
                .map(PubSubMessage::decode)
                .toList();
    }

    void from(PeerId p, Rpc rpc) {
        router.rpc(p, rpc.encode());
        drain();
    }

    void subscribeFrom(PeerId p, String topic) {
        Rpc r = new Rpc();
        r.subscriptions.add(new Rpc.SubOpts(true, topic));
        from(p, r);
    }

    void graftFrom(PeerId p, String topic) {
        Rpc r = new Rpc();
        r.graft.add(topic);
        from(p, r);
    }

    void pruneFrom(PeerId p, String topic, long backoffSeconds, List<PeerId> px) {
        Rpc r = new Rpc();
        pruneFromWith(
                p,
                topic,
                backoffSeconds,
                px.stream().map(x -> new Rpc.PxPeer(x.toBytes())).toList());
    }

    void pruneFromWith(PeerId p, String topic, long backoffSeconds, List<Rpc.PxPeer> px) {
        Rpc r = new Rpc();
        r.prune.add(new Rpc.Prune(topic, px, backoffSeconds));
        from(p, r);
    }

    static PubSubMessage message(int author, String topic, String data, long seqno) {
        return PubSubMessage.sign(key(author), topic, data.getBytes(StandardCharsets.UTF_8), seqno);
    }

    void publishFrom(PeerId p, PubSubMessage m) {
        Rpc r = new Rpc();
        r.publish.add(m.encoded());
        from(p, r);
    }

    /** Advances the virtual clock, running every heartbeat that falls due. */
    void advance(Duration d) {
        long until = now + d.toNanos();
        while (router.nextTimer() <= until) {
            now = router.nextTimer();
            router.tick();
            drain();
        }
        now = until;
    }

    /** Advances to and runs exactly {@code n} heartbeats. */
    void heartbeats(int n) {
        for (int i = 0; i < n; i++) {
            now = router.nextTimer();
            router.tick();
            drain();
        }
    }
}
