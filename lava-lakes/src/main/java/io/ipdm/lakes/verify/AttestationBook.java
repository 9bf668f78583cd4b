package io.ipdm.lakes.verify;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A node's attestations: every signed attestation record it accepted (the {@link RecordStore}
 * version rules: forged refused, older versions ignored, a reused version with other content
 * refused), indexed by window and by root, judged by a {@link Quorum} under the node's trust
 * predicate. Whenever a window's verdict names dissenters (authorized keys whose root disagrees
 * with a verified majority), the listeners hear of each dissenter once per window, which is how
 * their trust is lowered. Thread-safe.
 */
public final class AttestationBook {
    /** Hears about accepted attestations and dissent. Called on the thread that offered. */
    public interface Listener {
        /** A new (or newer) attestation was accepted. */
        default void accepted(PeerId author, Attestation a, SignedRecord record) {}

        /** {@code author} attested the root a verified majority agrees on (once per window). */
        default void agreed(PeerId author, Attestation theirs) {}

        /**
         * {@code dissenter} attested {@code theirs} where a verified majority says {@code
         * majority}.
         */
        default void dissent(PeerId dissenter, Attestation theirs, Cid majority) {}
    }

    /** What {@link #offer} did. */
    public record Offered(boolean accepted, Attestation attestation, String reason) {}

    private final RecordStore store = new RecordStore();
    private final Quorum quorum;
    private final Predicate<PeerId> authorized;
    private final Map<String, Map<PeerId, SignedRecord>> byWindow = new HashMap<>();
    private final Map<Cid, Set<String>> windowsOfRoot = new HashMap<>();
    private final Set<String> dissentReported = new HashSet<>();
    private final Set<String> agreementReported = new HashSet<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public AttestationBook(Quorum quorum, Predicate<PeerId> authorized) {
        this.quorum = quorum;
        this.authorized = authorized;
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    public Quorum quorum() {
        return quorum;
    }

    public Predicate<PeerId> authorized() {
        return authorized;
    }

    /** Checks and keeps {@code r}; never throws for a bad record, says why instead. */
    public Offered offer(SignedRecord r) {
        Attestation a;
        try {
            a = Attestation.of(r);
        } catch (AttestationException e) {
            return new Offered(false, null, e.getMessage() + "; refused");
        }
        List<Runnable> notify = new ArrayList<>();
        synchronized (this) {
            PutResult put = store.put(r);
            if (!put.accepted()) {
                return new Offered(false, a, put.reason());
            }
            byWindow.computeIfAbsent(a.window(), k -> new LinkedHashMap<>()).put(r.authorId(), r);
            windowsOfRoot.computeIfAbsent(a.root(), k -> new LinkedHashSet<>()).add(a.window());
            for (Listener l : listeners) {
                notify.add(() -> l.accepted(r.authorId(), a, r));
            }
            Quorum.Verdict v = verdict(a.window());
            if (v.majority() != null && v.state(v.majority()) == Quorum.State.VERIFIED) {
                for (PeerId g : v.attesting(v.majority())) {
                    if (agreementReported.add(a.window() + " " + g)) {
                        Attestation theirs = Attestation.of(byWindow.get(a.window()).get(g));
                        for (Listener l : listeners) {
                            notify.add(() -> l.agreed(g, theirs));
                        }
                    }
                }
            }
            for (PeerId d : v.dissenters()) {
                if (dissentReported.add(a.window() + " " + d)) {
                    Attestation theirs = Attestation.of(byWindow.get(a.window()).get(d));
                    for (Listener l : listeners) {
                        notify.add(() -> l.dissent(d, theirs, v.majority()));
                    }
                }
            }
        }
        notify.forEach(Runnable::run);
        return new Offered(true, a, r + ": accepted");
    }

    /** The verdict on one window ({@link Attestation#window()}). */
    public synchronized Quorum.Verdict verdict(String window) {
        List<Quorum.Vote> votes = new ArrayList<>();
        for (Map.Entry<PeerId, SignedRecord> e :
                byWindow.getOrDefault(window, Map.of()).entrySet()) {
            votes.add(new Quorum.Vote(e.getKey(), Attestation.of(e.getValue())));
        }
        return quorum.judge(votes, authorized);
    }

    /** The current records of every window {@code root} was attested for. */
    public synchronized List<SignedRecord> recordsFor(Cid root) {
        List<SignedRecord> out = new ArrayList<>();
        for (String w : windowsOfRoot.getOrDefault(root, Set.of())) {
            out.addAll(byWindow.get(w).values());
        }
        return out;
    }

    /** The root's state under this node's trust and quorum. */
    public RootStatus status(Cid root) {
        return RootStatus.judge(root, recordsFor(root), authorized, quorum);
    }

    /** Every current attestation record. */
    public synchronized List<SignedRecord> records() {
        List<SignedRecord> out = new ArrayList<>();
        byWindow.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    public synchronized int size() {
        return store.size();
    }
}
