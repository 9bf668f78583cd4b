package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityEvent.Kind;
import io.ipdm.lakes.durability.DurabilityEvent.Level;
import io.ipdm.lakes.durability.DurabilityMessage.Challenge;
import io.ipdm.lakes.durability.DurabilityMessage.Holding;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The engine's integrity audits: periodic and first-contact challenges of fellow holders, their
 * verdicts (two retries before a silence counts), the ranking they feed and what a rank change
 * moves, and answering (rate-limited) the challenges of others. Part of {@link DurabilityEngine};
 * not thread-safe.
 */
final class Audits {
    /**
     * Rounds a silent target gets before its silence counts as a timeout: with 1% message loss each
     * way, an honest holder stays silent three times in a row about once in 100,000 audits.
     */
    static final int ATTEMPTS = 3;

    private final DurabilityEngine e;
    private final DurabilityConfig cfg;
    private final RandomGenerator random;
    private final Challenger challenger;
    private final ChallengeGuard guard;
    private final Ranking ranking;

    Audits(
            DurabilityEngine e,
            DurabilityConfig cfg,
            RandomGenerator random,
            Challenger challenger,
            Ranking ranking) {
        this.e = e;
        this.cfg = cfg;
        this.random = random;
        this.challenger = challenger;
        this.guard = new ChallengeGuard(cfg.challengesPerMinute());
        this.ranking = ranking;
    }

    /**
     * Periodic audit: one fellow holder picked at random per round (every holder audits, so each is
     * audited about once per interval per root), at intervals jittered around {@link
     * DurabilityConfig#challengeInterval()}.
     */
    void periodic(RootState rs, long now) {
        uncheckedAtOnce(rs);
        if (now < rs.nextChallengeAt) {
            return;
        }
        long interval = cfg.challengeInterval().toMillis();
        rs.nextChallengeAt = now + interval / 2 + random.nextLong(interval);
        List<PeerId> targets = new ArrayList<>();
        for (PeerId p : rs.responsible) {
            RootState.Holder h = rs.holders.get(p);
            if (!p.equals(e.self())
                    && h != null
                    && h.claimedAt > 0
                    && e.placement().isLive(p)
                    && !challenger.pending(rs.root, p)) {
                targets.add(p);
            }
        }
        if (!targets.isEmpty()) {
            challenge(rs, List.of(targets.get(random.nextInt(targets.size()))));
        }
    }

    /**
     * Holders that claimed the root while this node could not check them yet (it was still
     * fetching) are challenged as soon as it can, not at the next random audit: a liar among them
     * would otherwise count as a server for hours.
     */
    private void uncheckedAtOnce(RootState rs) {
        List<PeerId> unchecked = null;
        for (PeerId p : rs.responsible) {
            RootState.Holder h = rs.holders.get(p);
            if (h != null
                    && h.claimedAt > 0
                    && h.lastOutcome == null
                    && !p.equals(e.self())
                    && e.placement().isLive(p)
                    && !challenger.pending(rs.root, p)) {
                if (unchecked == null) {
                    unchecked = new ArrayList<>();
                }
                unchecked.add(p);
            }
        }
        if (unchecked != null) {
            challenge(rs, unchecked);
        }
    }

    void onChallenge(PeerId from, Challenge c) {
        long now = e.now();
        if (!guard.admit(from, now)) {
            if (guard.shouldReport(from)) {
                e.report(
                        Kind.CHALLENGE_FLOOD,
                        Level.WARN,
                        c.root(),
                        from,
                        from
                                + " sent more than "
                                + cfg.challengesPerMinute()
                                + " challenges a minute (challengesPerMinute); refused and"
                                + " penalized");
            }
            penalize(from, Ranking.FLOOD_POINTS);
            return;
        }
        RootState held = e.root(c.root());
        if (held == null || !held.complete()) {
            // Not a claim of ours (handed off, collected, never taken): say so rather than fail.
            e.send(from, new Holding(c.id(), List.of(), List.of(c.root())));
            return;
        }
        held.wantedAt = now; // the challenger counts this node active for the root
        if (c.blocks().size() > cfg.maxChallengeBlocks()) {
            e.onMalformed(
                    from,
                    "challenge from "
                            + from
                            + " asks "
                            + c.blocks().size()
                            + " blocks, more than "
                            + cfg.maxChallengeBlocks()
                            + " (maxChallengeBlocks); refused");
            return;
        }
        e.send(from, challenger.answer(c));
    }

    void challenge(RootState rs, List<PeerId> targets) {
        challenge(rs, targets, 0);
    }

    private void challenge(RootState rs, List<PeerId> targets, int attempt) {
        if (!rs.complete()) {
            return;
        }
        long deadline = e.now() + cfg.challengeTimeout().toMillis();
        Challenge c =
                challenger.start(
                        e.nextId(), rs, targets, cfg.challengeSamples(), deadline, attempt, random);
        for (PeerId p : targets) {
            e.send(p, c);
        }
        e.schedule(deadline);
    }

    void judge(Challenger.Round r) {
        long now = e.now();
        RootState rs = e.root(r.root);
        for (Challenger.Verdict v : challenger.judge(r)) {
            apply(rs, v.peer(), v.outcome(), v.detail(), now);
        }
        List<PeerId> silent = new ArrayList<>();
        for (PeerId p : r.targets) {
            if (!r.answers.containsKey(p) && e.placement().isLive(p)) {
                silent.add(p);
            }
        }
        if (silent.isEmpty() || rs == null) {
            // rs == null: the root was released (handed off, collected) while the round was in
            // flight. Nothing is left to retry with, and judging the silence at once would make
            // one lost message count as three: an honest holder with no stored evidence yet
            // would be ranked out by it.
            return;
        }
        if (r.attempt + 1 < ATTEMPTS) {
            challenge(rs, silent, r.attempt + 1); // messages get lost: retry before judging
        } else {
            for (PeerId p : silent) {
                apply(
                        rs,
                        p,
                        ChallengeOutcome.TIMED_OUT,
                        "no answer " + ATTEMPTS + " times in a row",
                        now);
            }
        }
    }

    private void apply(RootState rs, PeerId p, ChallengeOutcome o, String detail, long now) {
        if (rs != null) {
            RootState.Holder h = rs.holder(p);
            h.lastOutcome = o;
            h.lastOutcomeAt = now;
            if (o == ChallengeOutcome.STORED) {
                h.verifiedAt = now;
            } else {
                h.claimedAt = 0;
                h.verifiedAt = 0;
            }
        }
        if (o != ChallengeOutcome.STORED) {
            e.report(
                    Kind.CHALLENGE_FAILED,
                    Level.WARN,
                    rs == null ? null : rs.root,
                    p,
                    p + " " + o.name().toLowerCase() + ": " + detail);
        }
        onRankChange(p, ranking.record(p, o, now));
        if (rs != null
                && e.root(rs.root) != null
                && o == ChallengeOutcome.STORED
                && !rs.selfResponsible) {
            e.maintain(rs); // a hand-off may be complete now
        }
    }

    /** {@code p} ignored {@code n} Replicate requests in a row for {@code rs}'s root. */
    void unanswered(RootState rs, PeerId p, int n) {
        apply(
                rs,
                p,
                ChallengeOutcome.TIMED_OUT,
                "left " + n + " Replicate requests in a row unanswered",
                e.now());
    }

    /**
     * {@code p} answered a challenge after its deadline: it is up and reachable, yet late (what
     * silence alone never shows). Offence points, not rank: the timeout already cost rank.
     */
    void late(PeerId p) {
        e.report(
                Kind.CHALLENGE_FAILED,
                Level.WARN,
                null,
                p,
                p
                        + " answered a challenge after its "
                        + cfg.challengeTimeout().toSeconds()
                        + " s deadline (challengeTimeout)");
        penalize(p, Ranking.LATE_POINTS);
    }

    void penalize(PeerId p, double points) {
        onRankChange(p, ranking.penalize(p, points, e.now()));
    }

    private void onRankChange(PeerId p, Ranking.Change c) {
        switch (c) {
            case NONE -> {
                return;
            }
            case LOW_RANKED ->
                    e.report(
                            Kind.PEER_LOW_RANKED,
                            Level.WARN,
                            null,
                            p,
                            p
                                    + " ranked "
                                    + String.format("%.2f", ranking.rankOf(p, e.now()).rank())
                                    + ": no new replicas go to it, its replicas move");
            case ISOLATED ->
                    e.report(
                            Kind.PEER_ISOLATED,
                            Level.ERROR,
                            null,
                            p,
                            p + " isolated as a serial offender: excluded and ignored");
        }
        Set<Cid> affected = e.rootsActiveFor(p);
        if (affected != null) {
            for (Cid c2 : List.copyOf(affected)) {
                RootState rs = e.root(c2);
                if (rs != null) {
                    e.maintain(rs);
                }
            }
        }
    }
}
