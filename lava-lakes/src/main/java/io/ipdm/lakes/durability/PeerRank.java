package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;

/**
 * One peer's standing as this node sees it.
 *
 * @param stored decayed count of challenges passed
 * @param lost decayed weight of challenges failed (lost 1, wrong 2, timed out 1)
 * @param rank {@code (stored + 1) / (stored + lost + 2)}: 0.5 without evidence
 * @param offences decayed offence points; at {@link DurabilityConfig#isolateOffences()} the peer is
 *     isolated
 * @param lowRanked below {@link DurabilityConfig#placementRank()}: no new replicas
 * @param isolated a serial offender: excluded from placement, its messages ignored
 */
public record PeerRank(
        PeerId peer,
        double stored,
        double lost,
        double rank,
        double offences,
        boolean lowRanked,
        boolean isolated,
        ChallengeOutcome lastOutcome,
        long lastOutcomeAtMillis) {}
