package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How a storage node's {@link DurabilityEngine} learns its peers from the DHT: the one path that
 * {@code ipdm node} ({@code node.DurabilityService}) and the simulator ({@code sim.DurabilitySim})
 * both take, sans-io.
 *
 * <ul>
 *   <li>a peer is up for the engine once a connection to it is identified as speaking the
 *       durability protocol ({@link #identified}), down when that connection goes ({@link
 *       #disconnected});
 *   <li>the routing table is polled ({@link #routingTable}): when its members changed the engine
 *       recomputes its orders ({@link DurabilityEngine#routingChanged}), and the table's peers that
 *       are not connected are returned to be dialed (at most {@code maxDialsPerPoll} a poll), so
 *       the engine sees the storage nodes its routing table holds, not the whole network. A peer
 *       dialed that did not come up is passed over for {@link #DIAL_BACKOFF_MILLIS} (engine time),
 *       so the table's other peers get their turn: without it, dead entries at the head of a large
 *       table (nodes that crashed or left, until the DHT evicts them) took every dial of every
 *       poll, the peers after them were never dialed, and the simulator re-polled every 2 s.
 * </ul>
 *
 * Not thread-safe: the engine's thread makes every call.
 */
public final class PeerFeed {
    /**
     * How long a peer dialed without coming up is not dialed again: fifteen of the node's 2 s
     * polls. Time rather than polls, since the simulator polls only when there is something to see.
     */
    public static final long DIAL_BACKOFF_MILLIS = 30_000;

    private final DurabilityEngine engine;
    private final int maxDials;
    private final Set<PeerId> up = new LinkedHashSet<>();
    private final Set<PeerId> routing = new LinkedHashSet<>();

    /** Peers returned to dial, by when (engine time; pruned after the back-off). */
    private final Map<PeerId, Long> dialedAt = new HashMap<>();

    public PeerFeed(DurabilityEngine engine, int maxDialsPerPoll) {
        if (maxDialsPerPoll < 1) {
            throw new IllegalArgumentException(
                    "maxDialsPerPoll must be positive, got " + maxDialsPerPoll);
        }
        this.engine = engine;
        this.maxDials = maxDialsPerPoll;
    }

    /** Identify told what {@code peer} speaks over a connection that came up. */
    public void identified(PeerId peer, boolean speaksDurability) {
        if (speaksDurability && !peer.equals(engine.self()) && up.add(peer)) {
            engine.peerUp(peer);
        }
    }

    /** The last connection to {@code peer} is gone. */
    public void disconnected(PeerId peer) {
        if (up.remove(peer)) {
            engine.peerDown(peer);
        }
    }

    /**
     * The DHT's routing table now ({@code table}: its peers, in its order). Tells the engine when
     * the members changed; returns the table's peers that are neither up nor {@code connected}, to
     * dial (identify then reports them), at most {@code maxDialsPerPoll}, passing over those
     * returned within the last {@link #DIAL_BACKOFF_MILLIS}.
     */
    public List<PeerId> routingTable(Collection<PeerId> table, Predicate<PeerId> connected) {
        long now = engine.now();
        if (!dialedAt.isEmpty()) {
            dialedAt.values().removeIf(at -> now - at >= DIAL_BACKOFF_MILLIS);
        }
        List<PeerId> dial = new ArrayList<>();
        boolean changed = table.size() != routing.size();
        for (PeerId p : table) {
            if (!changed && !routing.contains(p)) {
                changed = true;
            }
            if (dial.size() < maxDials
                    && !up.contains(p)
                    && !p.equals(engine.self())
                    && !dialedAt.containsKey(p)
                    && !connected.test(p)) {
                dial.add(p);
                dialedAt.put(p, now);
            }
        }
        if (changed) {
            routing.clear();
            routing.addAll(table);
            engine.routingChanged();
        }
        return dial;
    }

    public boolean isUp(PeerId peer) {
        return up.contains(peer);
    }

    /** Peers the engine was told are up. */
    public int upCount() {
        return up.size();
    }

    /** The routing table's members at the last poll. */
    public int routingSize() {
        return routing.size();
    }
}
