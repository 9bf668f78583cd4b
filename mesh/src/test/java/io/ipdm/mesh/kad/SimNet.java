package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A seeded, virtual-time network of {@link Kademlia} engines: requests and responses go through
 * {@link KadCodec} bytes with a random 5-50 ms latency each way; a request reaches a peer only over
 * an existing connection or an address the sender knows (addresses must propagate as on a real
 * network); offline peers fail requests. Every engine is ticked each {@code tickEvery}.
 */
final class SimNet {
    static final class Clock implements InstantSource {
        long now = 1_700_000_000_000L;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public long millis() {
            return now;
        }
    }

    private record Event(long at, long seq, Runnable run) {}

    final Clock clock = new Clock();
    final SplittableRandom random;
    final KadCodec codec;
    final Map<PeerId, Kademlia> nodes = new LinkedHashMap<>();
    final Map<PeerId, Multiaddr> addrOf = new HashMap<>();
    final Set<PeerId> offline = new HashSet<>();
    final Set<String> connections = new HashSet<>();
    final List<KadAction.Disconnect> disconnects = new ArrayList<>();
    long messages;
    private final PriorityQueue<Event> events =
            new PriorityQueue<>(
                    (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    private final long tickEvery;
    private long nextTick;

    SimNet(long seed, KadConfig cfg, Duration tickEvery) {
        this.random = new SplittableRandom(seed);
        this.codec = KadCodec.of(cfg);
        this.tickEvery = tickEvery.toMillis();
        this.nextTick = clock.now + this.tickEvery;
    }

    Kademlia add(KadConfig cfg) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        PeerId id = Ed25519KeyPair.fromSeed(seed).peerId();
        int n = nodes.size() + 1;
        Multiaddr addr =
                Multiaddr.parse(
                        "/ip4/10."
                                + (n >> 16 & 255)
                                + "."
                                + (n >> 8 & 255)
                                + "."
                                + (n & 255)
                                + "/tcp/4001");
        Kademlia k = new Kademlia(id, cfg, clock, random.split());
        k.setLocalAddresses(List.of(addr));
        nodes.put(id, k);
        addrOf.put(id, addr);
        return k;
    }

    KadPeer peerOf(Kademlia k) {
        return KadPeer.of(k.self(), List.of(addrOf.get(k.self())));
    }

    private static String pair(PeerId a, PeerId b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    private void at(long when, Runnable r) {
        events.add(new Event(when, seq++, r));
    }

    private long latency() {
        return 5 + random.nextInt(46);
    }

    private static List<String> protocols(Kademlia k) {
        return k.config().mode() == KadConfig.Mode.SERVER
                ? List.of(k.config().protocol())
                : List.of();
    }

    /** Delivers {@code from}'s pending actions. */
    void pump(Kademlia from) {
        for (KadAction a : from.drainActions()) {
            switch (a) {
                case KadAction.Disconnect d -> disconnects.add(d);
                case KadAction.SendRequest s -> deliver(from, s);
            }
        }
    }

    private void deliver(Kademlia from, KadAction.SendRequest s) {
        Kademlia to = nodes.get(s.peer());
        boolean reachable =
                to != null
                        && !offline.contains(s.peer())
                        && (connections.contains(pair(from.self(), s.peer()))
                                || s.addrs().contains(addrOf.get(s.peer())));
        long out = clock.now + latency();
        byte[] wire = codec.encode(s.message());
        messages++;
        if (!reachable) {
            if (s.expectResponse()) {
                at(
                        out,
                        () -> {
                            from.onRequestFailed(s.id(), "unreachable");
                            pump(from);
                        });
            }
            return;
        }
        at(
                out,
                () -> {
                    if (offline.contains(s.peer())) {
                        if (s.expectResponse()) {
                            from.onRequestFailed(s.id(), "connection reset");
                            pump(from);
                        }
                        return;
                    }
                    if (connections.add(pair(from.self(), s.peer()))) {
                        // A new connection: both sides identify each other, as on a real host.
                        to.peerConnected(from.self());
                        from.peerConnected(s.peer());
                        to.peerIdentified(
                                from.self(), protocols(from), List.of(addrOf.get(from.self())));
                        from.peerIdentified(s.peer(), protocols(to), List.of(addrOf.get(s.peer())));
                        pump(from);
                    }
                    InboundResult r = to.onRequest(from.self(), codec.decode(wire));
                    pump(to);
                    if (!s.expectResponse()) {
                        return;
                    }
                    long back = clock.now + latency();
                    if (r instanceof InboundResult.Respond resp) {
                        byte[] answer = codec.encode(resp.message());
                        messages++;
                        at(
                                back,
                                () -> {
                                    from.onResponse(s.id(), codec.decode(answer));
                                    pump(from);
                                });
                    } else {
                        at(
                                back,
                                () -> {
                                    from.onRequestFailed(s.id(), "stream reset");
                                    pump(from);
                                });
                    }
                });
    }

    boolean connected(PeerId a, PeerId b) {
        return connections.contains(pair(a, b));
    }

    /** {@code peer} goes away: its connections break and each peer on the other end sees it. */
    void leave(PeerId peer) {
        offline.add(peer);
        for (Kademlia k : nodes.values()) {
            if (connections.remove(pair(peer, k.self()))) {
                k.peerDisconnected(peer);
                pump(k);
            }
        }
    }

    /** Every connection breaks at once (a network blip); both ends see it. */
    void dropConnections() {
        for (Kademlia a : nodes.values()) {
            for (Kademlia b : nodes.values()) {
                if (a != b && connections.remove(pair(a.self(), b.self()))) {
                    a.peerDisconnected(b.self());
                    b.peerDisconnected(a.self());
                    pump(a);
                    pump(b);
                }
            }
        }
    }

    /** Runs events (and ticks) up to virtual time {@code until}. */
    void runUntil(long until) {
        while (true) {
            Event e = events.peek();
            long next = e == null ? Long.MAX_VALUE : e.at;
            if (nextTick <= next && nextTick <= until) {
                clock.now = nextTick;
                nextTick += tickEvery;
                for (Kademlia k : nodes.values()) {
                    if (!offline.contains(k.self())) {
                        k.tick();
                        pump(k);
                    }
                }
                continue;
            }
            if (e == null || e.at > until) {
                clock.now = Math.max(clock.now, until);
                return;
            }
            events.poll();
            clock.now = e.at;
            e.run.run();
        }
    }

    void runFor(Duration d) {
        runUntil(clock.now + d.toMillis());
    }

    /** Runs until {@code f} completes (at most {@code max} of virtual time) and returns it. */
    <T> T await(CompletableFuture<T> f, Kademlia issuer, Duration max) {
        pump(issuer);
        long limit = clock.now + max.toMillis();
        while (!f.isDone() && clock.now < limit) {
            Event e = events.peek();
            long step = e == null ? nextTick : Math.min(e.at, nextTick);
            runUntil(Math.min(step, limit));
        }
        if (!f.isDone()) {
            throw new AssertionError("not done after " + max + " of virtual time");
        }
        return f.join();
    }
}
