package io.ipdm.lakes.verify;

import static io.ipdm.mesh.json.JsonStrings.quote;

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

    /** Authorized keys attesting the root, over all its windows (the N of "verified by N of M"). */
    public int agreeing() {
        int n = 0;
        for (WindowVerdict w : windows) {
            n += w.verdict().attesting(root).size();
        }
        return n;
    }

    /** Authorized keys that attested the root's windows at all (the M). */
    public int attesting() {
        int n = 0;
        for (WindowVerdict w : windows) {
            for (List<PeerId> a : w.verdict().byRoot().values()) {
                n += a.size();
            }
        }
        return n;
    }

    /** One line per outcome, then who said what per window. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        switch (state) {
            case VERIFIED ->
                    sb.append("verified by ")
                            .append(agreeing())
                            .append(" of ")
                            .append(attesting())
                            .append(" authorized attestations (quorum ")
                            .append(windows.get(0).verdict().q())
                            .append(")");
            case DISPUTED -> sb.append("disputed: authorized keys attest different roots");
            case PENDING ->
                    sb.append(
                            windows.isEmpty()
                                    ? "pending: no attestation of " + root + " seen"
                                    : "pending: "
                                            + agreeing()
                                            + " authorized attestation(s), quorum "
                                            + windows.get(0).verdict().q());
        }
        sb.append('\n');
        for (WindowVerdict w : windows) {
            sb.append("window ").append(w.window()).append('\n');
            w.verdict()
                    .byRoot()
                    .forEach(
                            (r, authors) -> {
                                for (PeerId a : authors) {
                                    sb.append("  ")
                                            .append(a)
                                            .append(" says ")
                                            .append(r)
                                            .append(r.equals(root) ? "" : "  (differs)")
                                            .append('\n');
                                }
                            });
            for (PeerId u : w.verdict().unauthorized()) {
                sb.append("  ")
                        .append(u)
                        .append(" says ")
                        .append(w.votes().get(u).root())
                        .append("  (not authorized: not counted)\n");
            }
        }
        for (String r : refused) {
            sb.append("refused: ").append(r).append('\n');
        }
        return sb.toString();
    }

    /** The same as JSON. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        quote(sb.append("\"root\":"), root.toString());
        quote(sb.append(",\"state\":"), state.name().toLowerCase(java.util.Locale.ROOT));
        sb.append(",\"agreeing\":").append(agreeing());
        sb.append(",\"attesting\":").append(attesting());
        sb.append(",\"windows\":[");
        for (int i = 0; i < windows.size(); i++) {
            WindowVerdict w = windows.get(i);
            if (i > 0) {
                sb.append(',');
            }
            quote(sb.append("{\"window\":"), w.window());
            sb.append(",\"quorum\":").append(w.verdict().q());
            Cid m = w.verdict().majority();
            sb.append(",\"majority\":");
            if (m == null) {
                sb.append("null");
            } else {
                quote(sb, m.toString());
            }
            sb.append(",\"attestations\":[");
            boolean first = true;
            for (Map.Entry<PeerId, Attestation> e : w.votes().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb.append("{\"author\":"), e.getKey().toString());
                quote(sb.append(",\"root\":"), e.getValue().root().toString());
                sb.append(",\"rows\":").append(e.getValue().rows());
                sb.append(",\"time\":").append(e.getValue().time());
                sb.append(",\"authorized\":")
                        .append(!w.verdict().unauthorized().contains(e.getKey()));
                sb.append('}');
            }
            sb.append("]}");
        }
        sb.append("],\"refused\":[");
        for (int i = 0; i < refused.size(); i++) {
            quote(i == 0 ? sb : sb.append(','), refused.get(i));
        }
        return sb.append("]}").toString();
    }
}
