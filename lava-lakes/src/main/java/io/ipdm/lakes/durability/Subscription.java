package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A replication subscription: keep {@code roots} (their whole DAGs) on {@code factor} servers,
 * chosen from an explicit server list or, when the list is empty, from the storage nodes of {@code
 * domain} ("" is every storage node). It travels as the value of a {@link SignedRecord} whose key
 * is the subscription id (UTF-8); a higher version replaces it, a version with no roots
 * unsubscribes.
 *
 * <p>Canonical value encoding (protobuf wire format, fields in this order, roots and servers sorted
 * and without duplicates, empty fields left out; decoding refuses any other encoding):
 *
 * <pre>
 * message Subscription {
 *   string id      = 1;   // 1..128 chars, equal to the record key
 *   repeated bytes roots   = 2;   // CIDs
 *   uint64 factor  = 3;   // 1..64
 *   repeated bytes servers = 4;   // peer ids (multihash bytes)
 *   string domain  = 5;   // 0..64 chars; used when servers is empty
 * }
 * </pre>
 */
public record Subscription(
        String id, List<Cid> roots, int factor, List<PeerId> servers, String domain) {
    public static final int MAX_FACTOR = 64;
    public static final int MAX_ID = 128;
    public static final int MAX_DOMAIN = 64;

    public Subscription {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            throw new DurabilityException(
                    "subscription: id must be 1.." + MAX_ID + " characters, got '" + id + "'");
        }
        if (factor < 1 || factor > MAX_FACTOR) {
            throw new DurabilityException(
                    "subscription " + id + ": factor must be 1.." + MAX_FACTOR + ", got " + factor);
        }
        if (domain == null) {
            domain = "";
        }
        if (domain.length() > MAX_DOMAIN) {
            throw new DurabilityException(
                    "subscription " + id + ": domain longer than " + MAX_DOMAIN + " characters");
        }
        roots = sortedUnique(roots);
        servers = sortedUnique(servers);
    }

    /** A sorted copy without duplicates; linear when already so (every decoded record is). */
    private static <T extends Comparable<T>> List<T> sortedUnique(List<T> in) {
        for (int i = 1; i < in.size(); i++) {
            if (in.get(i - 1).compareTo(in.get(i)) >= 0) {
                return List.copyOf(new TreeSet<>(in));
            }
        }
        return List.copyOf(in);
    }

    /** Whether this version unsubscribes (keeps nothing). */
    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /** Whether servers come from a domain rather than an explicit list. */
    public boolean byDomain() {
        return servers.isEmpty();
    }

    /** The canonical value bytes. */
    public byte[] encode() {
        ProtoWriter w = new ProtoWriter().string(1, id);
        roots.forEach(c -> w.bytes(2, c.toBytes()));
        w.uint64(3, factor);
        servers.forEach(p -> w.bytes(4, p.toBytes()));
        if (!domain.isEmpty()) {
            w.string(5, domain);
        }
        return w.toByteArray();
    }

    /** Signs this subscription as {@code version} of the record keyed by its id. */
    public SignedRecord sign(Ed25519KeyPair author, long version) {
        return SignedRecord.sign(author, id.getBytes(StandardCharsets.UTF_8), encode(), version);
    }

    /** The subscription a signed record carries; the signature is not checked here. */
    public static Subscription of(SignedRecord record) {
        Subscription s = decode(record.value());
        if (!Arrays.equals(s.id.getBytes(StandardCharsets.UTF_8), record.key())) {
            throw new DurabilityException(
                    "subscription "
                            + s.id
                            + ": carried under record key '"
                            + record.keyText()
                            + "'; the key must be the subscription id");
        }
        return s;
    }

    /** Parses the canonical value encoding. */
    public static Subscription decode(byte[] value) {
        String id = null;
        List<Cid> roots = new ArrayList<>();
        List<PeerId> servers = new ArrayList<>();
        long factor = 0;
        String domain = "";
        try {
            ProtoReader r = new ProtoReader(value, "subscription");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> id = r.string();
                    case 2 -> roots.add(Cid.fromBytes(r.bytes()));
                    case 3 -> factor = r.uint64();
                    case 4 -> servers.add(PeerId.fromBytes(r.bytes()));
                    case 5 -> domain = r.string();
                    default ->
                            throw new DurabilityException(
                                    "subscription: unknown field "
                                            + r.field()
                                            + " (not the canonical encoding)");
                }
            }
        } catch (MultiformatException | IdentityException e) {
            throw new DurabilityException("subscription: malformed: " + e.getMessage());
        }
        if (id == null) {
            throw new DurabilityException("subscription: id (field 1) is missing");
        }
        if (factor > MAX_FACTOR) {
            throw new DurabilityException(
                    "subscription " + id + ": factor must be 1.." + MAX_FACTOR + ", got " + factor);
        }
        Subscription s = new Subscription(id, roots, (int) factor, servers, domain);
        if (!Arrays.equals(s.encode(), value)) {
            throw new DurabilityException(
                    "subscription "
                            + id
                            + ": not the canonical encoding (fields out of order, duplicates or"
                            + " unsorted roots/servers)");
        }
        return s;
    }
}
