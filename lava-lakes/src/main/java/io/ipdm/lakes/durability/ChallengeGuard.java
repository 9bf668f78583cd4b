package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * Inbound challenge rate limit: a token bucket per peer holding {@code perMinute} tokens, refilled
 * at {@code perMinute} a minute. Answering a challenge costs a hash over the sampled blocks, so a
 * flood is refused (and the engine penalizes the sender) instead of served. Not thread-safe.
 */
final class ChallengeGuard {
    private static final class Bucket {
        double tokens;
        long at;
        boolean reported;
    }

    private final double perMinute;
    private final Map<PeerId, Bucket> buckets = new HashMap<>();

    ChallengeGuard(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Takes a token for one challenge from {@code peer}; false when its bucket is empty. */
    boolean admit(PeerId peer, long now) {
        Bucket b = buckets.get(peer);
        if (b == null) {
            b = new Bucket();
            b.tokens = perMinute;
            b.at = now;
            buckets.put(peer, b);
        }
        b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMinute / 60_000.0);
        b.at = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            if (b.tokens >= perMinute / 2) {
                b.reported = false;
            }
            return true;
        }
        return false;
    }

    /** True once per flood episode, so a flood does not also flood the node's log. */
    boolean shouldReport(PeerId peer) {
        Bucket b = buckets.get(peer);
        if (b == null || b.reported) {
            return false;
        }
        b.reported = true;
        return true;
    }
}
