package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers ranked by what they store against what they lose, from this node's own challenge outcomes
 * (never from what others say, so a liar cannot slander). Evidence decays exponentially, so an old
 * failure weighs less than a new one; offence points decay more slowly and isolate a serial
 * offender for good once they reach the threshold. Not thread-safe: owned by the engine.
 */
final class Ranking {
    /**
     * A holder that claims a root and then admits missing blocks lies about its claim (an honest
     * node that lost data withdraws its claim, {@code Holding(missing)}, and is not judged): it
     * weighs like a wrong proof in rank, and two of them isolate.
     */
    private static final double LOST_WEIGHT = 2;

    private static final double LOST_OFFENCE = 1.5;
    private static final double WRONG_WEIGHT = 2;

    /**
     * A timeout (after retries) costs rank like a loss but no offence points: silence is what
     * message loss, partitions and crashes also produce, so it moves replicas away for a while but
     * never isolates. Evidence isolates: wrong proofs, admitted losses, late answers, floods.
     */
    private static final double TIMEOUT_WEIGHT = 1;

    /**
     * A proof after the deadline, per round: an audit answered late three times (every attempt)
     * isolates.
     */
    static final double LATE_POINTS = 1;

    static final double FLOOD_POINTS = 0.25;
    static final double MALFORMED_POINTS = 0.5;

    private static final class Score {
        double stored;
        double lost;
        double offences;
        long updatedAt;
        boolean isolated;
        boolean lowReported;
        ChallengeOutcome last;
        long lastAt;
    }

    private final double rankHalfLife;
    private final double offenceHalfLife;
    private final double placementRank;
    private final double isolateOffences;
    private final Map<PeerId, Score> scores = new HashMap<>();

    Ranking(DurabilityConfig cfg) {
        this.rankHalfLife = cfg.rankHalfLife().toMillis();
        this.offenceHalfLife = cfg.offenceHalfLife().toMillis();
        this.placementRank = cfg.placementRank();
        this.isolateOffences = cfg.isolateOffences();
    }

    /** What changed for the peer's standing after an update. */
    enum Change {
        NONE,
        LOW_RANKED,
        ISOLATED
    }

    Change record(PeerId peer, ChallengeOutcome outcome, long now) {
        Score s = decayed(peer, now);
        s.last = outcome;
        s.lastAt = now;
        switch (outcome) {
            case STORED -> s.stored += 1;
            case LOST -> {
                s.lost += LOST_WEIGHT;
                s.offences += LOST_OFFENCE;
            }
            case WRONG -> offend(s, WRONG_WEIGHT);
            case TIMED_OUT -> s.lost += TIMEOUT_WEIGHT;
        }
        return judge(s);
    }

    /**
     * Takes up evidence saved at {@code savedAt} (a restart of a node whose disk survived), decayed
     * from then to {@code now}: a restart must not give a caught liar a clean slate.
     */
    void restore(PeerRank r, long savedAt, long now) {
        Score s = new Score();
        s.stored = r.stored();
        s.lost = r.lost();
        s.offences = r.offences();
        s.isolated = r.isolated();
        s.lowReported = r.lowRanked();
        s.last = r.lastOutcome();
        s.lastAt = r.lastOutcomeAtMillis();
        s.updatedAt = Math.min(savedAt, now);
        scores.put(r.peer(), s);
        decayed(r.peer(), now);
    }

    /** Misbehaviour outside challenges (floods, malformed input): offence points only. */
    Change penalize(PeerId peer, double points, long now) {
        Score s = decayed(peer, now);
        s.offences += points;
        return judge(s);
    }

    private static void offend(Score s, double w) {
        s.lost += w;
        s.offences += w;
    }

    private Change judge(Score s) {
        if (!s.isolated && s.offences >= isolateOffences) {
            s.isolated = true;
            return Change.ISOLATED;
        }
        boolean low = rank(s) < placementRank;
        if (low && !s.lowReported && !s.isolated) {
            s.lowReported = true;
            return Change.LOW_RANKED;
        }
        if (!low) {
            s.lowReported = false;
        }
        return Change.NONE;
    }

    /** Whether new replicas may go to {@code peer}. */
    boolean eligible(PeerId peer, long now) {
        Score s = scores.get(peer);
        if (s == null) {
            return true;
        }
        if (s.isolated) {
            return false;
        }
        return rank(decayed(peer, now)) >= placementRank;
    }

    boolean isolated(PeerId peer) {
        Score s = scores.get(peer);
        return s != null && s.isolated;
    }

    PeerRank rankOf(PeerId peer, long now) {
        Score s = decayed(peer, now);
        double r = rank(s);
        return new PeerRank(
                peer,
                s.stored,
                s.lost,
                r,
                s.offences,
                r < placementRank,
                s.isolated,
                s.last,
                s.lastAt);
    }

    /** Every peer with evidence, best first (isolated last). */
    List<PeerRank> all(long now) {
        List<PeerRank> out = new ArrayList<>();
        for (PeerId p : scores.keySet()) {
            out.add(rankOf(p, now));
        }
        out.sort(
                Comparator.comparing(PeerRank::isolated)
                        .thenComparing(Comparator.comparingDouble(PeerRank::rank).reversed())
                        .thenComparing(PeerRank::peer));
        return out;
    }

    private static double rank(Score s) {
        return (s.stored + 1) / (s.stored + s.lost + 2);
    }

    private Score decayed(PeerId peer, long now) {
        Score s = scores.computeIfAbsent(peer, p -> new Score());
        if (s.updatedAt == 0) {
            s.updatedAt = now;
        }
        long dt = now - s.updatedAt;
        if (dt > 0) {
            double r = Math.pow(0.5, dt / rankHalfLife);
            s.stored *= r;
            s.lost *= r;
            s.offences *= Math.pow(0.5, dt / offenceHalfLife);
            s.updatedAt = now;
        }
        return s;
    }
}
