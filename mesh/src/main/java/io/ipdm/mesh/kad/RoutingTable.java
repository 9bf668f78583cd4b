package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * k-buckets indexed by the common prefix length with our own key (the spec's lazily split table,
 * fully unfolded: bucket {@code i} holds the peers sharing exactly {@code i} leading bits with us).
 * Each bucket keeps at most k contacts, least recently seen first, and a replacement cache of up to
 * k newcomers that found it full. Not thread-safe: owned by {@link Kademlia}.
 */
final class RoutingTable {
    static final class Contact {
        final PeerId peer;
        final KadKey key;
        List<Multiaddr> addrs;
        long lastSeen;
        int failures;

        Contact(PeerId peer, KadKey key, List<Multiaddr> addrs, long lastSeen) {
            this.peer = peer;
            this.key = key;
            this.addrs = addrs;
            this.lastSeen = lastSeen;
        }
    }

    /** What {@link #offer} did. */
    enum Offer {
        ADDED,
        UPDATED,
        /** The bucket is full; the newcomer waits in the replacement cache. */
        FULL,
        SELF
    }

    private final KadKey self;
    private final int k;
    private final List<LinkedHashMap<PeerId, Contact>> buckets = new ArrayList<>();
    private final List<LinkedHashMap<PeerId, Contact>> replacements = new ArrayList<>();
    private int size;

    /** Bumped whenever a contact joins or leaves the table (not on refreshes). */
    private long version;

    RoutingTable(KadKey self, int k) {
        this.self = self;
        this.k = k;
        for (int i = 0; i < KadKey.BITS; i++) {
            buckets.add(new LinkedHashMap<>());
            replacements.add(new LinkedHashMap<>());
        }
    }

    int bucketOf(KadKey key) {
        return self.commonPrefixLength(key);
    }

    /** Adds or refreshes {@code peer} as seen alive at {@code now}. */
    Offer offer(PeerId peer, KadKey key, List<Multiaddr> addrs, long now) {
        int b = bucketOf(key);
        if (b == KadKey.BITS) {
            return Offer.SELF;
        }
        LinkedHashMap<PeerId, Contact> bucket = buckets.get(b);
        Contact c = bucket.remove(peer);
        if (c != null) {
            if (!addrs.isEmpty()) {
                c.addrs = addrs;
            }
            c.lastSeen = now;
            c.failures = 0;
            bucket.put(peer, c); // to the tail: most recently seen
            return Offer.UPDATED;
        }
        if (bucket.size() < k) {
            bucket.put(peer, new Contact(peer, key, addrs, now));
            replacements.get(b).remove(peer);
            size++;
            version++;
            return Offer.ADDED;
        }
        LinkedHashMap<PeerId, Contact> cache = replacements.get(b);
        cache.remove(peer);
        cache.put(peer, new Contact(peer, key, addrs, now));
        if (cache.size() > k) {
            Iterator<PeerId> it = cache.keySet().iterator();
            it.next();
            it.remove();
        }
        return Offer.FULL;
    }

    /** The least recently seen contact of {@code key}'s bucket. */
    Contact oldest(KadKey key) {
        LinkedHashMap<PeerId, Contact> bucket = buckets.get(bucketOf(key));
        return bucket.isEmpty() ? null : bucket.values().iterator().next();
    }

    Contact get(PeerId peer, KadKey key) {
        int b = bucketOf(key);
        return b == KadKey.BITS ? null : buckets.get(b).get(peer);
    }

    /** Removes {@code peer} and promotes the newest replacement of its bucket, if any. */
    boolean remove(PeerId peer, KadKey key) {
        int b = bucketOf(key);
        if (b == KadKey.BITS) {
            return false;
        }
        replacements.get(b).remove(peer);
        if (buckets.get(b).remove(peer) == null) {
            return false;
        }
        size--;
        version++;
        LinkedHashMap<PeerId, Contact> cache = replacements.get(b);
        if (!cache.isEmpty()) {
            PeerId newest = null;
            for (PeerId p : cache.keySet()) {
                newest = p;
            }
            Contact r = cache.remove(newest);
            buckets.get(b).put(newest, r);
            size++;
        }
        return true;
    }

    /** The {@code n} contacts closest to {@code target}, closest first. */
    List<Contact> closest(KadKey target, int n) {
        // Walked by bucket rather than sorting the whole table (every FIND_NODE answer asks this):
        // with c the prefix length target shares with us, bucket c and the buckets beyond it are
        // closer to target than any bucket below c, and bucket i < c is closer than bucket i - 1.
        int c = Math.min(self.commonPrefixLength(target), KadKey.BITS - 1);
        List<Contact> out = new ArrayList<>();
        for (int i = c; i < KadKey.BITS; i++) {
            addAll(out, buckets.get(i));
        }
        out.sort((a, b) -> target.compareDistance(a.key, b.key));
        for (int i = c - 1; i >= 0 && out.size() < n; i--) {
            LinkedHashMap<PeerId, Contact> bucket = buckets.get(i);
            if (!bucket.isEmpty()) {
                int from = out.size();
                addAll(out, bucket);
                out.subList(from, out.size()).sort((a, b) -> target.compareDistance(a.key, b.key));
            }
        }
        return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
    }

    private static void addAll(List<Contact> out, LinkedHashMap<PeerId, Contact> bucket) {
        if (!bucket.isEmpty()) {
            for (Contact x : bucket.values()) {
                out.add(x);
            }
        }
    }

    int size() {
        return size;
    }

    long version() {
        return version;
    }

    /** Indices of non-empty buckets. */
    List<Integer> usedBuckets() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            if (!buckets.get(i).isEmpty()) {
                out.add(i);
            }
        }
        return out;
    }

    List<RoutingEntry> snapshot() {
        List<RoutingEntry> out = new ArrayList<>(size);
        for (int i = 0; i < buckets.size(); i++) {
            for (Contact c : buckets.get(i).values()) {
                out.add(
                        new RoutingEntry(
                                c.peer, c.addrs, i, Instant.ofEpochMilli(c.lastSeen), c.failures));
            }
        }
        return out;
    }
}
