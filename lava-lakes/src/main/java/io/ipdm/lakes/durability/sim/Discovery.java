package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.PeerFeed;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.InboundResult;
import io.ipdm.mesh.kad.KadAction;
import io.ipdm.mesh.kad.KadCodec;
import io.ipdm.mesh.kad.KadConfig;
import io.ipdm.mesh.kad.KadPeer;
import io.ipdm.mesh.kad.Kademlia;
import io.ipdm.mesh.kad.LookupResult;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Peer and provider discovery of a {@link DurabilitySim} run: the real {@link Kademlia} on every
 * node (the code {@code ipdm node} runs for {@code /ipfs/kad/1.0.0}), at virtual time, its requests
 * and responses through the real {@link KadCodec} with the run's latency, loss and partitions; a
 * node's engine learns its peers only through {@link PeerFeed}, from connections to the storage
 * nodes its routing table holds, as {@code node.DurabilityService} wires it.
 *
 * <ul>
 *   <li>each node bootstraps from the {@link #SEEDS} first nodes (stable bootstrap nodes: churn
 *       spares them) and refreshes its table on Kademlia's own timer;
 *   <li>the routing table is polled {@link #POLL_DELAY} after it changed (the node polls every 2 s;
 *       here only when there is something to see) and every maintenance interval: its changes go to
 *       the engine and its peers that are not connected are dialed (16 a poll); a dial to an up,
 *       reachable node opens a connection and both sides identify each other (the DHT and {@link
 *       PeerFeed} both learn of it); a connection breaks when either side crashes or leaves (the
 *       other side learns it after the detection delay) or a partition cuts it;
 *   <li>an inbound DHT request identifies its sender to the receiver, as the stream's connection
 *       would; a request to a node that is down or cut off, or lost, fails at the DHT's deadline;
 *   <li>roots a node pins are announced as provider records (re-announced by the DHT every
 *       republish interval, expiring after the record TTL), unpinned ones withdrawn; a fetch that
 *       no listed provider can serve looks the root's providers up in the DHT.
 * </ul>
 *
 * Connections the DHT opens only for a request are not counted as connections here (the real host
 * keeps them until either side closes them, so a live node's engine may see more peers). Part of
 * the simulator; not thread-safe.
 */
final class Discovery {
    static final int SEEDS = 4;
    static final long POLL_DELAY = 2_000;
    static final int MAX_DIALS_PER_POLL = 16;
    static final String DURABILITY_PROTOCOL = "/ipdm/durability/1.0.0";

    private final DurabilitySim sim;
    final KadConfig kad;
    private final KadCodec codec;
    private final List<String> protocols;
    long kadMessages;
    long kadBytes;
    long kadLost;
    long providerLookups;
    long lookupFinds;
    long dials;

    Discovery(DurabilitySim sim, KadConfig kad) {
        this.sim = sim;
        this.kad = kad;
        this.codec = KadCodec.of(kad);
        this.protocols = List.of(kad.protocol(), DURABILITY_PROTOCOL);
    }

    static Multiaddr addrOf(int index) {
        return Multiaddr.parse(
                "/ip4/10."
                        + (index >> 16 & 255)
                        + "."
                        + (index >> 8 & 255)
                        + "."
                        + (index & 255)
                        + "/tcp/4001");
    }

    boolean isSeed(SimNode n) {
        return n.index < SEEDS;
    }

    private List<KadPeer> seeds(SimNode n) {
        List<KadPeer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(SEEDS, sim.nodes.size()); i++) {
            SimNode s = sim.nodes.get(i);
            if (s != n) {
                out.add(KadPeer.of(s.id, List.of(s.addr)));
            }
        }
        return out;
    }

    /** A fresh DHT for a node (re)starting: joins through the seeds. */
    void startKad(SimNode n) {
        n.kad =
                new Kademlia(
                        n.id,
                        kad,
                        sim.clock(),
                        new SplittableRandom(n.seed ^ (n.incarnation * 0xC2B2AE3D27D4EB4FL)));
        n.kad.setLocalAddresses(List.of(n.addr));
        n.kadTickAt = Long.MAX_VALUE;
        n.pollAt = Long.MAX_VALUE;
        n.routingSeen = -1;
        n.conns.clear();
        int inc = n.incarnation;
        n.kad.bootstrap(seeds(n))
                .thenAccept(r -> sim.at(sim.now, 21, n.index, -1, () -> bootstrapped(n, inc)));
        pump(n);
    }

    /** Announces what the node holds once it knows its neighbours, and polls its table. */
    private void bootstrapped(SimNode n, int inc) {
        if (!n.up() || n.incarnation != inc) {
            return;
        }
        n.kadReady = true;
        if (n.engine != null) {
            provideAll(n);
        }
        schedulePoll(n, sim.now);
        pump(n);
    }

    /** The engine started (after the DHT): the feed that tells it its peers, and a first poll. */
    void startFeed(SimNode n) {
        n.feed = new PeerFeed(n.engine, MAX_DIALS_PER_POLL);
        if (n.kadReady) {
            provideAll(n);
            pump(n);
        }
        schedulePoll(n, sim.now);
        schedulePeriodicPoll(n, n.incarnation);
    }

    private void provideAll(SimNode n) {
        for (Cid root : List.copyOf(n.store.pins)) {
            n.kad.provide(root.multihash().toBytes());
        }
    }

    void provide(SimNode n, Cid root) {
        if (n.kad != null) {
            n.kad.provide(root.multihash().toBytes());
            pump(n);
        }
    }

    void stopProviding(SimNode n, Cid root) {
        if (n.kad != null) {
            n.kad.stopProviding(root.multihash().toBytes());
        }
    }

    /**
     * Looks up the providers of {@code root} in the DHT; {@code done} gets them (possibly none)
     * once the lookup ends.
     */
    void findProviders(SimNode n, Cid root, Consumer<List<KadPeer>> done) {
        providerLookups++;
        int inc = n.incarnation;
        n.kad.findProviders(root.multihash().toBytes(), kad.k(), kad.queryTimeout(), null)
                .thenAccept(
                        (LookupResult r) ->
                                sim.at(
                                        sim.now,
                                        22,
                                        n.index,
                                        -1,
                                        () -> {
                                            if (n.up() && n.incarnation == inc) {
                                                if (!r.providers().isEmpty()) {
                                                    lookupFinds++;
                                                }
                                                done.accept(r.providers());
                                            }
                                        }));
        pump(n);
    }

    // ---------------------------------------------------------------- the DHT's adapter

    /** Carries out what the node's DHT asks, then keeps its timer and table poll due. */
    void pump(SimNode n) {
        if (n.kad == null) {
            return;
        }
        for (KadAction a : n.kad.drainActions()) {
            switch (a) {
                case KadAction.SendRequest s -> send(n, s);
                case KadAction.Disconnect d -> {
                    SimNode m = sim.byId.get(d.peer());
                    if (m != null && n.conns.contains(m)) {
                        cut(n, m);
                    }
                }
            }
        }
        long at = n.kad.nextTickAt();
        if (at < n.kadTickAt) {
            n.kadTickAt = at;
            int inc = n.incarnation;
            sim.at(Math.max(at, sim.now), 20, n.index, -1, () -> tick(n, inc, at));
        }
        if (n.feed != null && n.kad.routingVersion() != n.routingSeen) {
            schedulePoll(n, sim.now + POLL_DELAY);
        }
    }

    private void tick(SimNode n, int inc, long at) {
        if (n.up() && n.incarnation == inc && n.kadTickAt == at) {
            n.kadTickAt = Long.MAX_VALUE;
            n.kad.tick();
            pump(n);
        }
    }

    private void send(SimNode from, KadAction.SendRequest s) {
        SimNode to = sim.byId.get(s.peer());
        byte[] bytes = codec.encode(s.message());
        kadMessages++;
        kadBytes += bytes.length;
        if (to == null || !to.up() || to.cut != from.cut || sim.net.nextDouble() < sim.cfg.loss()) {
            kadLost++;
            return; // fails at the request's deadline, as a dead host or a lost packet does
        }
        int fromInc = from.incarnation;
        int toInc = to.incarnation;
        sim.at(
                sim.now + sim.latency(),
                23,
                from.index,
                to.index,
                () -> request(from, fromInc, to, toInc, s, bytes));
    }

    private void request(
            SimNode from, int fromInc, SimNode to, int toInc, KadAction.SendRequest s, byte[] b) {
        if (!to.up() || to.incarnation != toInc || to.cut != from.cut || to.kad == null) {
            kadLost++;
            return;
        }
        sim.mix(b.length);
        // the stream's connection identifies its sender (a DHT server) to the receiver
        to.kad.peerIdentified(from.id, protocols, List.of(from.addr));
        InboundResult r = to.kad.onRequest(from.id, codec.decode(b));
        pump(to);
        if (!s.expectResponse()) {
            return;
        }
        if (r instanceof InboundResult.Respond resp) {
            byte[] answer = codec.encode(resp.message());
            kadMessages++;
            kadBytes += answer.length;
            if (sim.net.nextDouble() < sim.cfg.loss()) {
                kadLost++;
                return;
            }
            sim.at(
                    sim.now + sim.latency(),
                    24,
                    to.index,
                    from.index,
                    () -> {
                        if (from.up() && from.incarnation == fromInc && from.cut == to.cut) {
                            sim.mix(answer.length);
                            from.kad.onResponse(s.id(), codec.decode(answer));
                            pump(from);
                        }
                    });
        } else {
            String why = r instanceof InboundResult.Refuse f ? f.reason() : "no response";
            sim.at(
                    sim.now + sim.latency(),
                    24,
                    to.index,
                    from.index,
                    () -> {
                        if (from.up() && from.incarnation == fromInc) {
                            from.kad.onRequestFailed(s.id(), why);
                            pump(from);
                        }
                    });
        }
    }

    // ---------------------------------------------------------------- connections and polls

    void schedulePoll(SimNode n, long at) {
        if (at < n.pollAt) {
            n.pollAt = at;
            int inc = n.incarnation;
            sim.at(at, 25, n.index, -1, () -> poll(n, inc, at));
        }
    }

    private void schedulePeriodicPoll(SimNode n, int inc) {
        long every = sim.cfg.engine().maintenanceInterval().toMillis();
        sim.at(
                sim.now + every,
                26,
                n.index,
                -1,
                () -> {
                    if (n.up() && n.incarnation == inc) {
                        schedulePoll(n, sim.now);
                        schedulePeriodicPoll(n, inc);
                    }
                });
    }

    private void poll(SimNode n, int inc, long at) {
        if (!n.up() || n.incarnation != inc || n.pollAt != at) {
            return;
        }
        n.pollAt = Long.MAX_VALUE;
        if (n.feed == null) {
            return; // the engine starts later and polls then
        }
        n.routingSeen = n.kad.routingVersion();
        List<PeerId> table = new ArrayList<>();
        for (RoutingEntry e : n.kad.routingTable()) {
            table.add(e.peer());
        }
        List<PeerId> dial =
                n.feed.routingTable(
                        table,
                        p -> {
                            SimNode m = sim.byId.get(p);
                            return m != null && n.conns.contains(m);
                        });
        sim.drain(n);
        for (PeerId p : dial) {
            dial(n, sim.byId.get(p));
        }
        if (dial.size() == MAX_DIALS_PER_POLL) {
            schedulePoll(n, sim.now + POLL_DELAY); // more to dial
        }
    }

    private void dial(SimNode a, SimNode b) {
        if (b == null || b == a || !b.up() || b.cut != a.cut) {
            return; // refused or unreachable: tried again at a later poll
        }
        dials++;
        int ia = a.incarnation;
        int ib = b.incarnation;
        sim.at(
                sim.now + 2 * sim.latency(),
                27,
                a.index,
                b.index,
                () -> {
                    if (a.up()
                            && b.up()
                            && a.incarnation == ia
                            && b.incarnation == ib
                            && a.cut == b.cut
                            && a.feed != null
                            && b.feed != null
                            && a.conns.add(b)) {
                        b.conns.add(a);
                        identify(a, b);
                        identify(b, a);
                    }
                });
    }

    /** {@code n} identified {@code peer} on a new connection. */
    private void identify(SimNode n, SimNode peer) {
        n.kad.peerConnected(peer.id);
        n.kad.peerIdentified(peer.id, protocols, List.of(peer.addr));
        n.feed.identified(peer.id, true);
        sim.drain(n);
        pump(n);
    }

    /** Both ends of a connection see it break now (a partition, a ban). */
    void cut(SimNode a, SimNode b) {
        a.conns.remove(b);
        b.conns.remove(a);
        lost(a, b);
        lost(b, a);
    }

    /** {@code n}'s connection to {@code peer} is gone. */
    void lost(SimNode n, SimNode peer) {
        if (n.up() && !n.conns.contains(peer)) {
            n.kad.peerDisconnected(peer.id);
            if (n.feed != null) {
                n.feed.disconnected(peer.id);
                sim.drain(n);
            }
            pump(n);
        }
    }

    /** {@code n} went down: its connections break; each peer learns it after a detection delay. */
    void down(SimNode n) {
        List<SimNode> former = new ArrayList<>(n.conns);
        n.conns.clear();
        for (SimNode m : former) {
            m.conns.remove(n);
            sim.at(sim.now + sim.faults.detect(), 6, m.index, n.index, () -> lost(m, n));
        }
        n.kad = null;
        n.feed = null;
        n.kadReady = false;
    }
}
