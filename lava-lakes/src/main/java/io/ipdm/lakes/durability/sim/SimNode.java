package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.DurabilityEngine;
import io.ipdm.lakes.durability.PeerFeed;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.mesh.kad.Kademlia;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One simulated storage node: identity, disk, engine and DHT (null while down), connections. */
final class SimNode {
    enum State {
        UP,
        DOWN,
        GONE
    }

    final int index;
    final PeerId id;
    final KadKey key;
    final Behaviour behaviour;
    final SimStore store;
    final long seed;

    /** Roots whose whole DAG the disk really holds, correct (ground truth). */
    final Set<Cid> held = new LinkedHashSet<>();

    /** When each root this node holds by a fetch was fetched (for the duplicate count). */
    final java.util.Map<Cid, Long> fetchedAt = new java.util.HashMap<>();

    final Multiaddr addr;

    /** Open connections the durability layer sees (dialed from the routing table, or to it). */
    final Set<SimNode> conns = new LinkedHashSet<>();

    /** The node's DHT and what feeds the engine its peers (null while down). */
    Kademlia kad;

    PeerFeed feed;
    boolean kadReady;
    long kadTickAt = Long.MAX_VALUE;
    long pollAt = Long.MAX_VALUE;
    long routingSeen = -1;

    State state = State.UP;
    int incarnation;

    /** The engine's pending timer (Long.MAX_VALUE: none). */
    long timerAt = Long.MAX_VALUE;

    DurabilityEngine engine;
    boolean cut;
    int upPos = -1;
    int honestPos = -1;
    long lastActive = -1;

    /**
     * The ranking the engine had when the node crashed: the node keeps it on disk, as {@code ipdm
     * node} does, and the next engine takes it up.
     */
    List<PeerRank> savedRanking = List.of();

    long savedAt;
    long firstIsolated = -1;

    SimNode(int index, PeerId id, KadKey key, Behaviour behaviour, SimStore store, long seed) {
        this.index = index;
        this.id = id;
        this.key = key;
        this.behaviour = behaviour;
        this.store = store;
        this.seed = seed;
        this.addr = Discovery.addrOf(index);
    }

    boolean up() {
        return state == State.UP;
    }
}
