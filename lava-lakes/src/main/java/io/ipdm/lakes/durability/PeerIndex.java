package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Peers sorted by their Kademlia key ({@link KadKey}, sha256 of the peer id), answering "the n
 * eligible peers closest to a key by XOR distance" without scanning them all: the peers sharing at
 * least L leading bits with a target are contiguous in key order, and every one of them is closer
 * to it than any peer outside, so the n closest lie in the smallest such run holding n eligible
 * peers. Not thread-safe.
 */
final class PeerIndex {
    private KadKey[] keys = new KadKey[16];
    private PeerId[] peers = new PeerId[16];
    private int size;
    private final Map<PeerId, KadKey> keyOf = new HashMap<>();
    private final KeySpace space;

    PeerIndex(KeySpace space) {
        this.space = space;
    }

    int size() {
        return size;
    }

    boolean contains(PeerId p) {
        return keyOf.containsKey(p);
    }

    /** Adds a peer; false when already present. */
    boolean add(PeerId p) {
        if (keyOf.containsKey(p)) {
            return false;
        }
        KadKey k = space.of(p);
        keyOf.put(p, k);
        int i = position(k);
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            peers = Arrays.copyOf(peers, size * 2);
        }
        System.arraycopy(keys, i, keys, i + 1, size - i);
        System.arraycopy(peers, i, peers, i + 1, size - i);
        keys[i] = k;
        peers[i] = p;
        size++;
        return true;
    }

    boolean remove(PeerId p) {
        KadKey k = keyOf.remove(p);
        if (k == null) {
            return false;
        }
        int i = position(k);
        while (!peers[i].equals(p)) {
            i++; // equal keys (sha256 collisions) cannot happen in practice; be exact anyway
        }
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(peers, i + 1, peers, i, size - i - 1);
        size--;
        keys[size] = null;
        peers[size] = null;
        return true;
    }

    /** Up to {@code n} peers accepted by {@code eligible}, closest to {@code target} first. */
    List<PeerId> closest(KadKey target, int n, Predicate<PeerId> eligible) {
        if (n <= 0 || size == 0) {
            return List.of();
        }
        int p = position(target);
        int lo = p; // run is [lo, hi)
        int hi = p;
        int count = 0;
        // Runs sharing more bits than the nearest neighbours share are empty: start below them.
        int start = 0;
        if (p > 0) {
            start = target.commonPrefixLength(keys[p - 1]);
        }
        if (p < size) {
            start = Math.max(start, target.commonPrefixLength(keys[p]));
        }
        for (int level = start; level >= 0; level--) {
            while (lo > 0 && target.commonPrefixLength(keys[lo - 1]) >= level) {
                lo--;
                if (eligible.test(peers[lo])) {
                    count++;
                }
            }
            while (hi < size && target.commonPrefixLength(keys[hi]) >= level) {
                if (eligible.test(peers[hi])) {
                    count++;
                }
                hi++;
            }
            if (count >= n || (lo == 0 && hi == size)) {
                break;
            }
        }
        List<Integer> idx = new ArrayList<>(hi - lo);
        for (int i = lo; i < hi; i++) {
            if (eligible.test(peers[i])) {
                idx.add(i);
            }
        }
        idx.sort((a, b) -> target.compareDistance(keys[a], keys[b]));
        List<PeerId> out = new ArrayList<>(Math.min(n, idx.size()));
        for (int i = 0; i < idx.size() && i < n; i++) {
            out.add(peers[idx.get(i)]);
        }
        return out;
    }

    /** The peer at position {@code i} of the key order. */
    PeerId at(int i) {
        return peers[i];
    }

    /**
     * For each prefix length L, whether fewer than {@code need} peers accepted by {@code ok} share
     * exactly L leading bits with {@code self} (index 256: self's own key). A key sharing exactly L
     * bits with self has every such peer closer to it than self, so self can be among the {@code
     * need} closest to it only where this is true.
     */
    boolean[] sparseLevels(KadKey self, int need, Predicate<PeerId> ok) {
        int[] count = new int[KadKey.BITS + 1];
        for (int i = 0; i < size; i++) {
            int l = self.commonPrefixLength(keys[i]);
            if (count[l] < need && ok.test(peers[i])) {
                count[l]++;
            }
        }
        boolean[] sparse = new boolean[KadKey.BITS + 1];
        for (int l = 0; l <= KadKey.BITS; l++) {
            sparse[l] = count[l] < need;
        }
        return sparse;
    }

    /** Every peer, in key order. */
    List<PeerId> all() {
        List<PeerId> out = new ArrayList<>(size);
        Collections.addAll(out, Arrays.copyOf(peers, size));
        return out;
    }

    private int position(KadKey k) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid].compareTo(k) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
