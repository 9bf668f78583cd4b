package io.ipdm.mesh.records;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The current signed records, one per (author, key): the highest version wins. A record reusing the
 * held version number with different content is refused and kept in {@link #conflicts()} (an author
 * that signs two contents for one version is misbehaving, and both signed records are the
 * evidence); an older version is a replay and is ignored; a record whose signature does not verify
 * is refused. The set RIBLT reconciles is the digests of the current records. Thread-safe.
 *
 * <p>Refused records ({@link PutResult.Outcome#UNAUTHORIZED}) are remembered by digest (at most
 * {@value #DEFAULT_MAX_REFUSED}, for {@link #DEFAULT_REFUSAL_TTL}) and count as known in
 * reconciliation ({@link #syncSnapshot}): a peer holding one is not asked for it, nor offers it,
 * again, so the sets converge though the stores differ.
 *
 * <p>The policy is fixed for the store's life: a node builds it from its trust list ({@code ipdm
 * node --trust}), which it reads at start. A changed trust list takes effect when the node
 * restarts: the store then opens with the new policy, drops logged records it refuses, and
 * remembers no refusal, so records refused before are taken when a peer offers them.
 *
 * <p>{@link #open} backs a store with a {@link RecordLog} so that it survives a restart; {@code new
 * RecordStore()} keeps records in memory only.
 */
public final class RecordStore implements AutoCloseable {
    private static final int MAX_CONFLICTS_KEPT = 1000;

    /** Superseded entries tolerated in the log beyond the live ones before it is compacted. */
    private static final int COMPACT_SLACK = 10_000;

    private final Map<ByteBuffer, SignedRecord> bySlot = new HashMap<>();
    private final Map<ByteBuffer, SignedRecord> byDigest = new HashMap<>();
    private final List<PutResult> conflicts = new ArrayList<>();
    private final List<Consumer<SignedRecord>> listeners = new CopyOnWriteArrayList<>();
    public static final int DEFAULT_MAX_REFUSED = 10_000;
    public static final java.time.Duration DEFAULT_REFUSAL_TTL = java.time.Duration.ofHours(1);

    private final RecordPolicy policy;
    // digest -> refusal, oldest first (insertion order; a repeat re-inserts)
    private final java.util.LinkedHashMap<ByteBuffer, Refused> refused =
            new java.util.LinkedHashMap<>();
    private int maxRefused = DEFAULT_MAX_REFUSED;
    private long refusalTtlMillis = DEFAULT_REFUSAL_TTL.toMillis();
    private java.util.function.LongSupplier millis = System::currentTimeMillis;

    private record Refused(String reason, long expires) {}

    /** Held digests plus remembered refused ones (what reconciliation encodes), and the latter. */
    public record SyncSnapshot(List<byte[]> digests, java.util.Set<ByteBuffer> refused) {}

    private RecordLog log;
    private long dropped;

    /** A store in memory only, accepting every author ({@link RecordPolicy#OPEN}). */
    public RecordStore() {
        this(RecordPolicy.OPEN);
    }

    /** A store in memory only, accepting what {@code policy} lets in. */
    public RecordStore(RecordPolicy policy) {
        this.policy = policy;
    }

    /**
     * A store backed by the log at {@code file} (created when missing): the records in it are put
     * again under the version rules (signatures checked), and every record accepted from now on is
     * appended. A log mostly made of superseded versions is compacted.
     *
     * @param maxValue largest value a record read back may have
     */
    public static RecordStore open(Path file, int maxValue) {
        return open(file, maxValue, RecordPolicy.OPEN);
    }

    /**
     * As {@link #open(Path, int)}, accepting what {@code policy} lets in (logged records it refuses
     * now, after a trust list changed, are dropped on reload and counted in {@link #recovery()}).
     */
    public static RecordStore open(Path file, int maxValue, RecordPolicy policy) {
        RecordStore s = new RecordStore(policy);
        int maxRecord = maxValue + SignedRecord.MAX_KEY + 256;
        s.log =
                RecordLog.open(
                        file,
                        maxRecord,
                        bytes -> {
                            try {
                                if (!s.apply(SignedRecord.decode(bytes, maxValue)).accepted()) {
                                    s.dropped++;
                                }
                            } catch (RecordException e) {
                                s.dropped++;
                            }
                        });
        if (s.log.entries() > 2L * s.bySlot.size() + 1000) {
            s.compact();
        }
        return s;
    }

    /**
     * Calls {@code listener} with every record accepted from now on (whatever put it: a local
     * publish, gossip, a reconciliation), after the store holds it, on the putting thread.
     */
    public void addListener(Consumer<SignedRecord> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<SignedRecord> listener) {
        listeners.remove(listener);
    }

    /**
     * Applies the version rules to {@code r}; never throws for a bad record, says why instead. An
     * accepted record is logged (persistent stores) and handed to the listeners.
     */
    public PutResult put(SignedRecord r) {
        return putAll(List.of(r)).getFirst();
    }

    /**
     * Applies the version rules to each record, in order (group commit): the accepted ones are
     * appended to the log and forced to disk together, once, before any listener hears of them and
     * before this returns. So a record is durable before it is acknowledged, handed to a service or
     * gossiped onward, and a batch costs one fsync, not one per record.
     */
    public List<PutResult> putAll(List<SignedRecord> records) {
        List<PutResult> results = new ArrayList<>(records.size());
        List<SignedRecord> accepted = new ArrayList<>();
        synchronized (this) {
            for (SignedRecord r : records) {
                PutResult result = apply(r);
                results.add(result);
                if (result.accepted()) {
                    accepted.add(r);
                    if (log != null) {
                        log.append(r.encoded());
                    }
                }
            }
            if (log != null && !accepted.isEmpty()) {
                log.sync();
                if (log.entries() > 2L * bySlot.size() + COMPACT_SLACK) {
                    compact();
                }
            }
        }
        for (SignedRecord r : accepted) {
            for (Consumer<SignedRecord> l : listeners) {
                l.accept(r);
            }
        }
        return results;
    }

    private synchronized void compact() {
        List<byte[]> live = new ArrayList<>(bySlot.size());
        for (SignedRecord r : bySlot.values()) {
            live.add(r.encoded());
        }
        log.rewrite(live);
    }

    private PutResult apply(SignedRecord r) {
        if (!r.verify()) {
            return new PutResult(
                    PutResult.Outcome.FORGED,
                    r,
                    r + ": signature does not verify against the author key; refused");
        }
        ByteBuffer digest = ByteBuffer.wrap(r.digest());
        String refusal = policy.refusal(r);
        if (refusal != null) {
            expireRefusals();
            boolean repeat = refused.remove(digest) != null;
            refused.put(digest, new Refused(refusal, millis.getAsLong() + refusalTtlMillis));
            if (refused.size() > maxRefused) {
                refused.pollFirstEntry();
            }
            return new PutResult(PutResult.Outcome.UNAUTHORIZED, r, refusal, repeat);
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

    /** How many refused records are remembered, for how long, on which clock. */
    public synchronized void refusalMemory(
            int max, java.time.Duration ttl, java.util.function.LongSupplier clock) {
        if (max < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("refusal memory: max and ttl must be >= 0");
        }
        maxRefused = max;
        refusalTtlMillis = ttl.toMillis();
        millis = clock;
        while (refused.size() > maxRefused) {
            refused.pollFirstEntry();
        }
    }

    /** Distinct records refused by the policy and still remembered. */
    public synchronized int refusedCount() {
        expireRefusals();
        return refused.size();
    }

    /** The reasons of the remembered refusals, oldest first (one per record). */
    public synchronized List<String> refusals() {
        expireRefusals();
        return refused.values().stream().map(Refused::reason).toList();
    }

    /**
     * The set to reconcile: digests of the current records and of the remembered refused ones
     * (those count as known, so an honest peer never sends them again), and the refused ones alone.
     */
    public synchronized SyncSnapshot syncSnapshot() {
        expireRefusals();
        List<byte[]> out = new ArrayList<>(byDigest.size() + refused.size());
        for (ByteBuffer b : byDigest.keySet()) {
            out.add(b.array().clone());
        }
        java.util.Set<ByteBuffer> r = new java.util.HashSet<>();
        for (ByteBuffer b : refused.keySet()) {
            if (!byDigest.containsKey(b)) { // held under an older policy: one item, not two
                out.add(b.array().clone());
                r.add(b);
            }
        }
        return new SyncSnapshot(out, r);
    }

    private void expireRefusals() {
        long now = millis.getAsLong();
        var it = refused.values().iterator();
        while (it.hasNext()) {
            Refused x = it.next();
            if (x.expires() > now) {
                break; // oldest first: the rest expire later
            }
            it.remove();
        }
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

    /** The current records whose key starts with {@code prefix} (a snapshot). */
    public synchronized List<SignedRecord> withPrefix(byte[] prefix) {
        List<SignedRecord> out = new ArrayList<>();
        for (SignedRecord r : bySlot.values()) {
            if (r.hasKeyPrefix(prefix)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Entries of the log forced to disk (for tests of the commit rule); -1 in memory. */
    public synchronized long durableEntries() {
        return log == null ? -1 : log.durableEntries();
    }

    /** Where the store persists, or null for a store in memory. */
    public synchronized Path file() {
        return log == null ? null : log.path();
    }

    /**
     * What opening the log had to drop (a torn or damaged tail, records failing the version rules)
     * or null when nothing was.
     */
    public synchronized String recovery() {
        if (log == null) {
            return null;
        }
        String r = log.recovery();
        if (dropped > 0) {
            String d = dropped + " logged records were refused on reload";
            r = r == null ? d : r + "; " + d;
        }
        return r;
    }

    /** Forces the log to disk and closes it; an in-memory store has nothing to close. */
    @Override
    public synchronized void close() {
        if (log != null) {
            log.close();
        }
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
