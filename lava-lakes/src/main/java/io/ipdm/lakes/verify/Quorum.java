package io.ipdm.lakes.verify;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Agreement on one window, from the attestations of its authors (one each: the latest). Only
 * authors the trust predicate authorizes count; the others are listed and ignored.
 *
 * <ul>
 *   <li>The <b>majority root</b> is the root attested by strictly more authorized keys than any
 *       other; with a tie there is none.
 *   <li>A root is <b>verified</b> when it is the majority root and at least {@code q} distinct
 *       authorized keys attest it (other roots may exist: their authors are the dissenters).
 *   <li>A root is <b>disputed</b> when authorized keys attest another root for the same window and
 *       it is not verified.
 *   <li>Otherwise it is <b>pending</b> (fewer than {@code q} keys, nobody disagrees yet).
 * </ul>
 *
 * Pure: no I/O, no clock. {@link AttestationBook} keeps the attestations and calls this.
 */
public final class Quorum {
    /** One author's attestation. */
    public record Vote(PeerId author, Attestation attestation) {}

    /** What a root's state is. */
    public enum State {
        VERIFIED,
        DISPUTED,
        PENDING
    }

    /**
     * The window's attestations judged.
     *
     * @param q matching attestations needed
     * @param byRoot authorized authors per root, the most attested first
     * @param unauthorized authors whose attestation did not count
     * @param majority the majority root, or null (no attestations or a tie)
     */
    public record Verdict(
            int q, Map<Cid, List<PeerId>> byRoot, List<PeerId> unauthorized, Cid majority) {
        /** The state of {@code root} in this window. */
        public State state(Cid root) {
            boolean verified =
                    root.equals(majority) && byRoot.getOrDefault(root, List.of()).size() >= q;
            if (verified) {
                return State.VERIFIED;
            }
            return byRoot.size() > 1 ? State.DISPUTED : State.PENDING;
        }

        /** Authorized authors who disagree with a verified majority (empty without one). */
        public List<PeerId> dissenters() {
            if (majority == null || state(majority) != State.VERIFIED) {
                return List.of();
            }
            List<PeerId> out = new ArrayList<>();
            byRoot.forEach(
                    (root, authors) -> {
                        if (!root.equals(majority)) {
                            out.addAll(authors);
                        }
                    });
            return out;
        }

        /** Authorized authors attesting {@code root}. */
        public List<PeerId> attesting(Cid root) {
            return byRoot.getOrDefault(root, List.of());
        }
    }

    private final int q;

    public Quorum(int q) {
        if (q < 1) {
            throw new IllegalArgumentException("quorum must be at least 1, got " + q);
        }
        this.q = q;
    }

    public int q() {
        return q;
    }

    /** Judges one window's votes (one per author; a repeated author counts once). */
    public Verdict judge(List<Vote> votes, Predicate<PeerId> authorized) {
        Map<Cid, List<PeerId>> byRoot = new LinkedHashMap<>();
        List<PeerId> unauthorized = new ArrayList<>();
        List<PeerId> seen = new ArrayList<>();
        for (Vote v : votes) {
            if (seen.contains(v.author())) {
                continue;
            }
            seen.add(v.author());
            if (!authorized.test(v.author())) {
                unauthorized.add(v.author());
                continue;
            }
            byRoot.computeIfAbsent(v.attestation().root(), r -> new ArrayList<>()).add(v.author());
        }
        List<Map.Entry<Cid, List<PeerId>>> sorted = new ArrayList<>(byRoot.entrySet());
        sorted.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
        Map<Cid, List<PeerId>> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), List.copyOf(e.getValue())));
        Cid majority = null;
        if (!sorted.isEmpty()
                && (sorted.size() == 1
                        || sorted.get(0).getValue().size() > sorted.get(1).getValue().size())) {
            majority = sorted.get(0).getKey();
        }
        return new Verdict(q, ordered, List.copyOf(unauthorized), majority);
    }
}
