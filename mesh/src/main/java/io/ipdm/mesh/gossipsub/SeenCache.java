package io.ipdm.mesh.gossipsub;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen within the last {@code ttl}, with the time each was first seen (for P3's
 * window).
 */
final class SeenCache {
    private final long ttlNanos;
    private final int maxEntries;
    private final LinkedHashMap<MessageId, Long> seen = new LinkedHashMap<>();

    SeenCache(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    /** Records {@code id}; returns false if it was already there. */
    boolean add(MessageId id, long now) {
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, now);
        if (seen.size() > maxEntries) {
            Iterator<MessageId> it = seen.keySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    boolean contains(MessageId id) {
        return seen.containsKey(id);
    }

    /** When {@code id} was first seen, or -1. */
    long firstSeen(MessageId id) {
        Long t = seen.get(id);
        return t == null ? -1 : t;
    }

    void expire(long now) {
        Iterator<Map.Entry<MessageId, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() > ttlNanos) {
                it.remove();
            } else {
                break; // insertion order = time order
            }
        }
    }

    int size() {
        return seen.size();
    }
}
