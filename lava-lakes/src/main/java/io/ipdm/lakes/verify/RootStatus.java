package io.ipdm.lakes.verify;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where a root stands: its windows' verdicts and one state. A root is verified when every window it
 * was attested for verifies it, disputed when any window disputes it, else pending (which includes
 * a root nobody attested). Computed the same way by a node ({@link AttestationBook}) and by {@code
 * ipdm verify} from the signed records a node hands out, so a client trusts only the signatures and
 * its own trust list.
 *
 * @param root the root asked about
 * @param state its state
 * @param windows each window the root was attested for, with the verdict on it
 * @param refused records that did not count, each with the reason (forged, malformed)
 */
public record RootStatus(
        Cid root, Quorum.State state, List<WindowVerdict> windows, List<String> refused) {

    /** One window's attestations and the verdict on them. */
    public record WindowVerdict(
            String window, Quorum.Verdict verdict, Map<PeerId, Attestation> votes) {}

    /**
     * Judges {@code root} from signed attestation records (any order, any windows; signatures
     * checked here, the highest version per author and window kept).
     */
    public static RootStatus judge(
            Cid root, List<SignedRecord> records, Predicate<PeerId> authorized, Quorum quorum) {
        List<String> refused = new ArrayList<>();
        Map<String, Map<PeerId, SignedRecord>> byWindow = new LinkedHashMap<>();
        for (SignedRecord r : records) {
            if (!r.verify()) {
                refused.add(r + ": signature does not verify; ignored");
                continue;
            }
            Attestation a;
            try {
                a = Attestation.of(r);
            } catch (AttestationException e) {
                refused.add(e.getMessage());
                continue;
            }
            Map<PeerId, SignedRecord> w =
                    byWindow.computeIfAbsent(a.window(), k -> new LinkedHashMap<>());
            SignedRecord held = w.get(r.authorId());
            if (held == null || held.version() < r.version()) {
                w.put(r.authorId(), r);
            }
        }
        List<WindowVerdict> windows = new ArrayList<>();
        for (Map.Entry<String, Map<PeerId, SignedRecord>> e : byWindow.entrySet()) {
            Map<PeerId, Attestation> votes = new LinkedHashMap<>();
            List<Quorum.Vote> list = new ArrayList<>();
            boolean mentions = false;
            for (SignedRecord r : e.getValue().values()) {
                Attestation a = Attestation.of(r);
                votes.put(r.authorId(), a);
                list.add(new Quorum.Vote(r.authorId(), a));
                mentions |= a.root().equals(root);
            }
            if (mentions) {
                windows.add(new WindowVerdict(e.getKey(), quorum.judge(list, authorized), votes));
            }
        }
        Quorum.State state = Quorum.State.PENDING;
        if (!windows.isEmpty()) {
            boolean allVerified = true;
            for (WindowVerdict w : windows) {
                Quorum.State s = w.verdict().state(root);
                if (s == Quorum.State.DISPUTED) {
                    state = Quorum.State.DISPUTED;
                    break;
                }
                allVerified &= s == Quorum.State.VERIFIED;
            }
            if (state != Quorum.State.DISPUTED && allVerified) {
                state = Quorum.State.VERIFIED;
            }
        }
        return new RootStatus(root, state, List.copyOf(windows), List.copyOf(refused));
    }
}
