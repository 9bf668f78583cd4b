package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records by key, each with an expiry; bounded in keys and providers per key (a full key
 * replaces its oldest record, a full store refuses new keys). Not thread-safe: owned by {@link
 * Kademlia}.
 */
final class ProviderStore {
    private final int maxKeys;
    private final int maxPerKey;
    private final Map<String, LinkedHashMap<PeerId, ProviderRecord>> byKey = new HashMap<>();
    private int records;

    ProviderStore(int maxKeys, int maxPerKey) {
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
    }

    private static String id(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    /** Stores or renews a record; false when the store is full of other keys. */
    boolean add(byte[] key, PeerId provider, List<Multiaddr> addrs, long expiresMillis) {
        String id = id(key);
        LinkedHashMap<PeerId, ProviderRecord> m = byKey.get(id);
        if (m == null) {
            if (byKey.size() >= maxKeys) {
                return false;
            }
            m = new LinkedHashMap<>();
            byKey.put(id, m);
        }
        ProviderRecord old = m.remove(provider);
        if (old == null) {
            records++;
        }
        m.put(provider, new ProviderRecord(provider, addrs, Instant.ofEpochMilli(expiresMillis)));
        if (m.size() > maxPerKey) {
            Iterator<PeerId> it = m.keySet().iterator();
            it.next();
            it.remove();
            records--;
        }
        return true;
    }

    /** Unexpired records of {@code key}, most recently renewed last. */
    List<ProviderRecord> get(byte[] key, long now) {
        LinkedHashMap<PeerId, ProviderRecord> m = byKey.get(id(key));
        if (m == null) {
            return List.of();
        }
        List<ProviderRecord> out = new ArrayList<>(m.size());
        for (ProviderRecord r : m.values()) {
            if (r.expires().toEpochMilli() > now) {
                out.add(r);
            }
        }
        return out;
    }

    /** Drops {@code provider}'s record of {@code key}, if any. */
    void remove(byte[] key, PeerId provider) {
        String id = id(key);
        LinkedHashMap<PeerId, ProviderRecord> m = byKey.get(id);
        if (m != null && m.remove(provider) != null) {
            records--;
            if (m.isEmpty()) {
                byKey.remove(id);
            }
        }
    }

    /** Drops expired records; returns how many. */
    int expire(long now) {
        int dropped = 0;
        for (Iterator<LinkedHashMap<PeerId, ProviderRecord>> it = byKey.values().iterator();
                it.hasNext(); ) {
            LinkedHashMap<PeerId, ProviderRecord> m = it.next();
            int before = m.size();
            m.values().removeIf(r -> r.expires().toEpochMilli() <= now);
            dropped += before - m.size();
            if (m.isEmpty()) {
                it.remove();
            }
        }
        records -= dropped;
        return dropped;
    }

    int keys() {
        return byKey.size();
    }

    int records() {
        return records;
    }
}
