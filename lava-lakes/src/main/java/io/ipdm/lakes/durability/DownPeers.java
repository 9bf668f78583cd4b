package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Servers that went down, remembered for {@code ipdm net status}: placement forgets a peer the
 * moment its last connection goes (so the next server takes its place at once), but a user watching
 * replication must still see the dead holder, since when it is gone and which roots it held, while
 * those are repaired. A peer is remembered from {@link DurabilityEngine#peerDown} until it comes
 * back ({@link DurabilityEngine#peerUp}) or {@link #FORGET_AFTER} has passed; at most {@link
 * #MAX_PEERS}, the longest gone dropped first. Only the view reads it: placement never does. Not
 * thread-safe: owned by the engine.
 */
final class DownPeers {
    /** How long a peer that went down stays in the status view. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** Peers remembered at most (a bound for mass departures; the oldest go first). */
    static final int MAX_PEERS = 1024;

    /**
     * One departed server.
     *
     * @param sinceMillis when its last connection went
     * @param held the roots it was an active server of then, each with when it had last claimed
     *     holding it (0: it had not claimed it yet)
     */
    record Down(long sinceMillis, Map<Cid, Long> held) {}

    /** In the order they went down (a peer going down again moves to the end). */
    private final LinkedHashMap<PeerId, Down> down = new LinkedHashMap<>();

    void down(PeerId peer, long now, Map<Cid, Long> held) {
        down.remove(peer);
        down.put(peer, new Down(now, Map.copyOf(held)));
        if (down.size() > MAX_PEERS) {
            Iterator<PeerId> it = down.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    void up(PeerId peer) {
        down.remove(peer);
    }

    /** The remembered peers that held {@code root}, after forgetting those gone too long. */
    Map<PeerId, Down> heldBy(Cid root, long now) {
        expire(now);
        Map<PeerId, Down> out = new LinkedHashMap<>();
        for (Map.Entry<PeerId, Down> e : down.entrySet()) {
            if (e.getValue().held().containsKey(root)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Every remembered peer, longest gone first. */
    List<Map.Entry<PeerId, Down>> all(long now) {
        expire(now);
        return new ArrayList<>(down.entrySet());
    }

    private void expire(long now) {
        long cutoff = now - FORGET_AFTER.toMillis();
        Iterator<Down> it = down.values().iterator();
        while (it.hasNext() && it.next().sinceMillis() <= cutoff) {
            it.remove(); // in time order: stop at the first one still remembered
        }
    }
}
