package io.ipdm.lakes.verify;

import io.ipdm.mesh.identity.PeerId;
import java.util.function.Predicate;

/**
 * Whose attestations a node counts and how many must agree.
 *
 * @param quorum matching attestations from distinct authorized keys that verify a root
 * @param attestors the keys authorized to attest (a trust list's {@code attest} permission)
 * @param restricted whether attestations by other keys are refused (not kept, not relayed) rather
 *     than kept and not counted
 */
public record AttestationPolicy(Quorum quorum, Predicate<PeerId> attestors, boolean restricted) {
    /** Without a trust list: every key counts, two must agree. */
    public static final AttestationPolicy OPEN =
            new AttestationPolicy(new Quorum(2), p -> true, false);
}
