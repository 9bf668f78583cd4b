package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.DurabilityEngine;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One simulated storage node: identity, disk, engine (null while down) and connections. */
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

    /** Connections outside the node's own prefix group (a routing table's far buckets). */
    final Set<SimNode> contacts = new LinkedHashSet<>();

    State state = State.UP;
    int incarnation;

    /** The engine's pending timer (Long.MAX_VALUE: none). */
    long timerAt = Long.MAX_VALUE;

    DurabilityEngine engine;
    boolean cut;
    int group;
    int upPos = -1;
    int honestPos = -1;
    int groupPos = -1;
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
    }

    boolean up() {
        return state == State.UP;
    }
}
