package io.ipdm.mesh.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keys this node or user trusts, each with a name and what it is trusted for (a {@code keys.yaml}
 * file read by the CLI; see docs/node.md). Immutable.
 *
 * <p>Permissions: {@value #ALL} (everything; what an entry without roles gets), {@value #SUBSCRIBE}
 * (author replication subscriptions), {@value #ATTEST} (attestations that count toward a quorum),
 * {@value #PUBLISH} (publish on any topic) and {@code publish:<topic>} (on that topic). {@link
 * #trusts} is the one place these rules are applied.
 */
public final class TrustList {
    public static final String ALL = "all";
    public static final String SUBSCRIBE = "subscribe";
    public static final String ATTEST = "attest";
    public static final String PUBLISH = "publish";

    /** Permission names that may stand alone; {@code publish:<topic>} narrows publish. */
    public static final Set<String> NAMES = Set.of(ALL, SUBSCRIBE, ATTEST, PUBLISH);

    private static final Pattern TOPIC_PERMISSION = Pattern.compile("publish:\\S.*");

    public static final TrustList EMPTY = new TrustList(List.of());

    /**
     * One trusted key.
     *
     * @param peer the key's peer id
     * @param name what people call it (unique in a list)
     * @param permissions what it is trusted for (never empty)
     * @param origin where it was declared, e.g. {@code keys.yaml:4:5}
     */
    public record Entry(PeerId peer, String name, Set<String> permissions, String origin) {
        public Entry {
            permissions = Collections.unmodifiableSet(new LinkedHashSet<>(permissions));
            if (permissions.isEmpty()) {
                throw new IllegalArgumentException("a trusted key needs at least one permission");
            }
            for (String p : permissions) {
                String bad = checkPermission(p);
                if (bad != null) {
                    throw new IllegalArgumentException(bad);
                }
            }
        }

        /** Whether this entry grants {@code permission}. */
        public boolean allows(String permission) {
            return permissions.contains(ALL)
                    || permissions.contains(permission)
                    || (permission.startsWith(PUBLISH + ":") && permissions.contains(PUBLISH));
        }
    }

    private final Map<PeerId, Entry> byPeer;

    private TrustList(List<Entry> entries) {
        Map<PeerId, Entry> m = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Entry e : entries) {
            Entry prev = m.putIfAbsent(e.peer(), e);
            if (prev != null) {
                throw new IllegalArgumentException(
                        e.origin()
                                + ": key "
                                + e.peer()
                                + " is already trusted as '"
                                + prev.name()
                                + "' ("
                                + prev.origin()
                                + "); list each key once");
            }
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(
                        e.origin() + ": name '" + e.name() + "' is used twice; names are unique");
            }
        }
        this.byPeer = Collections.unmodifiableMap(m);
    }

    /** A list of these entries; a key or name given twice is refused. */
    public static TrustList of(List<Entry> entries) {
        return new TrustList(entries);
    }

    /**
     * Null when {@code p} is a valid permission, else why not (with the names that are valid), so a
     * file reader can report it at its position.
     */
    public static String checkPermission(String p) {
        if (NAMES.contains(p) || TOPIC_PERMISSION.matcher(p).matches()) {
            return null;
        }
        return "unknown permission '"
                + p
                + "'; permissions: "
                + String.join(", ", List.of(ALL, SUBSCRIBE, ATTEST, PUBLISH))
                + ", publish:<topic>";
    }

    /** Whether {@code peer} is listed and granted {@code permission}. */
    public boolean trusts(PeerId peer, String permission) {
        Entry e = byPeer.get(peer);
        return e != null && e.allows(permission);
    }

    /**
     * Why {@code peer} is not trusted for {@code permission} (for logs and refusals), or null when
     * it is.
     */
    public String refusal(PeerId peer, String permission) {
        Entry e = byPeer.get(peer);
        if (e == null) {
            return peer + " is not a trusted key (" + byPeer.size() + " keys are trusted)";
        }
        if (e.allows(permission)) {
            return null;
        }
        return "'"
                + e.name()
                + "' ("
                + peer
                + ", "
                + e.origin()
                + ") is trusted for "
                + String.join(", ", new java.util.TreeSet<>(e.permissions()))
                + ", not for "
                + permission;
    }

    public Optional<Entry> entry(PeerId peer) {
        return Optional.ofNullable(byPeer.get(peer));
    }

    /** The listed keys granted {@code permission}, in file order. */
    public List<PeerId> peersWith(String permission) {
        List<PeerId> out = new ArrayList<>();
        for (Entry e : byPeer.values()) {
            if (e.allows(permission)) {
                out.add(e.peer());
            }
        }
        return out;
    }

    /** Every entry, in file order. */
    public List<Entry> entries() {
        return List.copyOf(byPeer.values());
    }

    /** The entry's name and peer id, or the bare peer id when the key is not listed. */
    public String describe(PeerId peer) {
        Entry e = byPeer.get(peer);
        return e == null ? peer.toString() : e.name() + " (" + peer + ")";
    }

    public int size() {
        return byPeer.size();
    }

    public boolean isEmpty() {
        return byPeer.isEmpty();
    }
}
