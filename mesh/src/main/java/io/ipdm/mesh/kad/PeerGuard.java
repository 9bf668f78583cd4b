package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-peer inbound rate limit (token bucket) and penalty score (halving every minute); a peer whose
 * score reaches the ban threshold is refused for the ban duration. Bounded: idle peers are pruned.
 */
final class PeerGuard {
    private static final double HALF_LIFE_MS = 60_000;
    private static final int MAX_TRACKED = 10_000;

    private static final class State {
        double tokens;
        long refilledAt;
        double score;
        long scoredAt;
        long bannedUntil;
    }

    private final double ratePerMs;
    private final int burst;
    private final double banScore;
    private final long banMillis;
    private final Map<PeerId, State> peers = new HashMap<>();

    PeerGuard(double ratePerSecond, int burst, double banScore, long banMillis) {
        this.ratePerMs = ratePerSecond / 1000.0;
        this.burst = burst;
        this.banScore = banScore;
        this.banMillis = banMillis;
    }

    private State state(PeerId p, long now) {
        State s = peers.get(p);
        if (s == null) {
            if (peers.size() >= MAX_TRACKED) {
                prune(now);
            }
            s = new State();
            s.tokens = burst;
            s.refilledAt = now;
            s.scoredAt = now;
            peers.put(p, s);
        }
        return s;
    }

    /** Takes a token for one inbound request; false when the peer is over its rate. */
    boolean allowRequest(PeerId p, long now) {
        State s = state(p, now);
        s.tokens = Math.min(burst, s.tokens + (now - s.refilledAt) * ratePerMs);
        s.refilledAt = now;
        if (s.tokens < 1) {
            return false;
        }
        s.tokens -= 1;
        return true;
    }

    /** Adds penalty points; true when this penalty bans the peer. */
    boolean penalize(PeerId p, double points, long now) {
        State s = state(p, now);
        decay(s, now);
        s.score += points;
        if (s.score >= banScore && s.bannedUntil <= now) {
            s.bannedUntil = now + banMillis;
            return true;
        }
        return false;
    }

    boolean isBanned(PeerId p, long now) {
        State s = peers.get(p);
        return s != null && s.bannedUntil > now;
    }

    double score(PeerId p, long now) {
        State s = peers.get(p);
        if (s == null) {
            return 0;
        }
        decay(s, now);
        return s.score;
    }

    int banned(long now) {
        int n = 0;
        for (State s : peers.values()) {
            if (s.bannedUntil > now) {
                n++;
            }
        }
        return n;
    }

    private static void decay(State s, long now) {
        if (now > s.scoredAt) {
            s.score *= Math.pow(0.5, (now - s.scoredAt) / HALF_LIFE_MS);
            s.scoredAt = now;
        }
    }

    /** Forgets peers with a negligible score, a full bucket and no ban. */
    void prune(long now) {
        peers.values()
                .removeIf(
                        s -> {
                            decay(s, now);
                            double tokens =
                                    Math.min(burst, s.tokens + (now - s.refilledAt) * ratePerMs);
                            return s.score < 0.5 && tokens >= burst && s.bannedUntil <= now;
                        });
    }
}
