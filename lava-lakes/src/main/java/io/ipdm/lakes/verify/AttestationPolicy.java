package io.ipdm.lakes.verify;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import java.util.function.Predicate;

/**
 * Whose attestations a node counts and how many must agree.
 *
 * @param quorum matching attestations from distinct authorized keys that verify a root
 * @param attestors the keys authorized to attest (a trust list's {@code attest} permission)
 * @param restricted whether attestations by other keys are refused (local jobs get the reason, the
 *     book does not keep them) rather than kept and not counted
 */
public record AttestationPolicy(Quorum quorum, Predicate<PeerId> attestors, boolean restricted) {
    /** Without a trust list: every key counts, two must agree. */
    public static final AttestationPolicy OPEN =
            new AttestationPolicy(new Quorum(2), p -> true, false);

    /**
     * A node's policy: with a non-empty trust list only keys it lets {@code attest} count (others
     * are refused); with an empty one every key counts.
     */
    public static AttestationPolicy of(TrustList trust, int quorum) {
        if (trust.size() == 0) {
            return new AttestationPolicy(new Quorum(quorum), p -> true, false);
        }
        return new AttestationPolicy(
                new Quorum(quorum), p -> trust.trusts(p, TrustList.ATTEST), true);
    }
}
