package io.ipdm.lakes.node;

import io.ipdm.lakes.verify.Attestation;
import io.ipdm.lakes.verify.AttestationPolicy;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.node.Domains;
import io.ipdm.mesh.records.RecordPolicy;

/**
 * The signed-record kinds a node stores and who may author each, from its trust list: replication
 * subscriptions ({@value DurabilityService#SUBSCRIPTION_PREFIX}) from keys with the {@code
 * subscribe} role (none without a trust list, as the durability engine accepts none); attestations
 * ({@value Attestation#KEY_PREFIX}) from keys with the {@code attest} role, or from any key without
 * a trust list (what {@link AttestationPolicy} counts); domain adverts ({@value Domains#PREFIX})
 * from any key, since each member signs its own. Anything else is refused: the record service
 * neither stores nor forwards it.
 */
final class RecordKinds {
    private RecordKinds() {}

    static RecordPolicy policy(TrustList trust, AttestationPolicy attestations) {
        return RecordPolicy.byKind()
                .kind(
                        DurabilityService.SUBSCRIPTION_PREFIX,
                        "subscription",
                        p -> trust.trusts(p, TrustList.SUBSCRIBE),
                        "the '" + TrustList.SUBSCRIBE + "' role in the trust list")
                .kind(
                        Attestation.KEY_PREFIX,
                        "attestation",
                        p -> !attestations.restricted() || attestations.attestors().test(p),
                        "the '" + TrustList.ATTEST + "' role in the trust list")
                .anyAuthor(Domains.PREFIX, "domain advert")
                .build();
    }
}
