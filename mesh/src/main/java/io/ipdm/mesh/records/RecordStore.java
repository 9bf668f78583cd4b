package io.ipdm.mesh.records;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The current signed records, one per (author, key): the highest version wins. A record reusing the
 * held version number with different content is refused and kept in {@link #conflicts()} (an author
 * that signs two contents for one version is misbehaving, and both signed records are the
 * evidence); an older version is a replay and is ignored; a record whose signature does not verify
 * is refused. The set RIBLT reconciles is the digests of the current records. Thread-safe.
 */
public final class RecordStore {
    private static final int MAX_CONFLICTS_KEPT = 1000;

    private final Map<ByteBuffer, SignedRecord> bySlot = new HashMap<>();
    private final Map<ByteBuffer, SignedRecord> byDigest = new HashMap<>();
    private final List<PutResult> conflicts = new ArrayList<>();

    /** Applies the version rules to {@code r}; never throws for a bad record, says why instead. */
    public synchronized PutResult put(SignedRecord r) {
        if (!r.verify()) {
            return new PutResult(
                    PutResult.Outcome.FORGED,
                    r,
                    r + ": signature does not verify against the author key; refused");
        }
        ByteBuffer slot = slot(r);
        SignedRecord held = bySlot.get(slot);
        if (held != null) {
            if (r.version() < held.version()) {
                return new PutResult(
                        PutResult.Outcome.STALE,
                        r,
                        r + ": replay of an old version, v" + held.version() + " is held; ignored");
            }
            if (r.version() == held.version()) {
                if (ByteBuffer.wrap(r.digest()).equals(ByteBuffer.wrap(held.digest()))) {
                    return new PutResult(PutResult.Outcome.DUPLICATE, r, r + ": already held");
                }
                PutResult c =
                        new PutResult(
                                PutResult.Outcome.CONFLICT,
                                r,
                                r
                                        + ": version reused with different content (digest "
                                        + HexFormat.of().formatHex(r.digest())
                                        + ", held "
                                        + HexFormat.of().formatHex(held.digest())
                                        + "); refused, the author signed two contents for one"
                                        + " version");
                if (conflicts.size() < MAX_CONFLICTS_KEPT) {
                    conflicts.add(c);
                }
                return c;
            }
            byDigest.remove(ByteBuffer.wrap(held.digest()));
        }
        bySlot.put(slot, r);
        byDigest.put(ByteBuffer.wrap(r.digest()), r);
        return new PutResult(PutResult.Outcome.ACCEPTED, r, r + ": accepted");
    }

    /** The current record with this digest, or null. */
    public synchronized SignedRecord get(byte[] digest) {
        return byDigest.get(ByteBuffer.wrap(digest));
    }

    /** The current record of (author, key), or null. */
    public synchronized SignedRecord latest(io.ipdm.mesh.identity.PublicKey author, byte[] key) {
        return bySlot.get(slot(author.data(), key));
    }

    /** Digests of the current records (a snapshot). */
    public synchronized List<byte[]> digests() {
        List<byte[]> out = new ArrayList<>(byDigest.size());
        for (ByteBuffer b : byDigest.keySet()) {
            out.add(b.array().clone());
        }
        return out;
    }

    public synchronized int size() {
        return bySlot.size();
    }

    /** Version conflicts seen (at most 1000 kept), oldest first. */
    public synchronized List<PutResult> conflicts() {
        return List.copyOf(conflicts);
    }

    private static ByteBuffer slot(SignedRecord r) {
        return slot(r.author().data(), r.key());
    }

    private static ByteBuffer slot(byte[] author, byte[] key) {
        return ByteBuffer.allocate(author.length + 4 + key.length)
                .put(author)
                .putInt(key.length)
                .put(key)
                .flip();
    }
}
