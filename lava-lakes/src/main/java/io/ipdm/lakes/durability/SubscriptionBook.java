package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityEvent.Kind;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The subscriptions this node accepts: records from allow-listed authors only, under {@link
 * RecordStore}'s version rules (highest version wins, an old version is a replay, a reused version
 * with different content is a conflict, a bad signature is a forgery), and the reference count of
 * every root (how many current subscriptions list it). Not thread-safe.
 */
final class SubscriptionBook {
    /**
     * What {@link #put} did.
     *
     * @param kind the event to report, null for a duplicate or a replay (nothing to say)
     * @param changedRoots roots whose set of subscriptions changed (added or removed)
     */
    record Result(boolean accepted, Kind kind, String message, Set<Cid> changedRoots) {}

    private final Set<PeerId> authors;
    private final RecordStore records = new RecordStore();

    /** Current subscription per record slot (author id + "/" + key). */
    private final Map<String, Subscription> current = new TreeMap<>();

    private final Map<Cid, List<Subscription>> byRoot = new HashMap<>();

    /** The key of every root of every current subscription, in its order (scans read these). */
    private final Map<Subscription, KadKey[]> rootKeys = new IdentityHashMap<>();

    private final KeySpace keys;

    /** Bumped by every accepted record: a cached {@link #of} result older than this is stale. */
    private long version;

    SubscriptionBook(Set<PeerId> authors) {
        this(authors, new KeySpace());
    }

    SubscriptionBook(Set<PeerId> authors, KeySpace keys) {
        this.authors = Set.copyOf(authors);
        this.keys = keys;
    }

    Result put(SignedRecord r) {
        PeerId author = r.authorId();
        if (!authors.contains(author)) {
            return new Result(
                    false,
                    Kind.SUBSCRIPTION_UNAUTHORIZED,
                    r
                            + ": author "
                            + author
                            + " is not on this node's allow-list; refused (list the key with the"
                            + " subscribe role in the node's --trust keys.yaml and restart it)",
                    Set.of());
        }
        if (records.get(r.digest()) != null) {
            // The very record held: skip decoding and the signature check (pulls repeat records).
            return new Result(false, null, r + ": already held", Set.of());
        }
        Subscription s;
        try {
            s = Subscription.of(r);
        } catch (DurabilityException e) {
            return new Result(
                    false, Kind.SUBSCRIPTION_MALFORMED, r + ": " + e.getMessage(), Set.of());
        }
        PutResult pr = records.put(r);
        switch (pr.outcome()) {
            case FORGED -> {
                return new Result(false, Kind.SUBSCRIPTION_FORGED, pr.reason(), Set.of());
            }
            case CONFLICT -> {
                return new Result(false, Kind.SUBSCRIPTION_CONFLICT, pr.reason(), Set.of());
            }
            case STALE, DUPLICATE -> {
                return new Result(false, null, pr.reason(), Set.of());
            }
            case ACCEPTED -> {}
        }
        String slot = author + "/" + r.keyText();
        Subscription old = current.put(slot, s);
        version++;
        KadKey[] k = new KadKey[s.roots().size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = keys.of(s.roots().get(i));
        }
        rootKeys.put(s, k);
        Set<Cid> changed = new LinkedHashSet<>();
        if (old != null) {
            rootKeys.remove(old);
            for (Cid root : old.roots()) {
                List<Subscription> l = byRoot.get(root);
                l.remove(old);
                if (l.isEmpty()) {
                    byRoot.remove(root);
                }
                changed.add(root);
            }
        }
        for (Cid root : s.roots()) {
            byRoot.computeIfAbsent(root, c -> new ArrayList<>(1)).add(s);
            changed.add(root);
        }
        return new Result(
                true,
                Kind.SUBSCRIPTION_ACCEPTED,
                r + ": accepted (" + s.roots().size() + " roots, factor " + s.factor() + ")",
                changed);
    }

    /** The current subscriptions listing {@code root} (its reference count is the size). */
    List<Subscription> of(Cid root) {
        List<Subscription> l = byRoot.get(root);
        return l == null ? List.of() : l;
    }

    int refCount(Cid root) {
        return of(root).size();
    }

    /** The keys of {@code s}'s roots, in the order of {@code s.roots()} (s: a current one). */
    KadKey[] rootKeys(Subscription s) {
        return rootKeys.get(s);
    }

    long version() {
        return version;
    }

    Collection<Subscription> all() {
        return current.values();
    }

    Set<Cid> roots() {
        return byRoot.keySet();
    }

    List<byte[]> digests() {
        return records.digests();
    }

    /** The held record with this digest, or null. */
    SignedRecord record(byte[] digest) {
        return records.get(digest);
    }

    List<PutResult> conflicts() {
        return records.conflicts();
    }
}
