package io.ipdm.mesh.riblt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * When to reconcile with whom (anti-entropy), sans-io: fed connections, finished sessions and the
 * time, it answers with the peers to start a session with now. A peer is synced shortly after it
 * connects (a node back from an outage catches up at once), and every {@code interval} one
 * connected peer is picked at random. One session per peer at a time; a peer whose session failed
 * is left alone for a backoff that doubles up to {@code maxBackoff}, so a hostile or broken peer
 * costs little. Not thread-safe: its adapter calls it from one thread.
 */
public final class SyncScheduler {
    private final long intervalMillis;
    private final long onConnectDelayMillis;
    private final long baseBackoffMillis;
    private final long maxBackoffMillis;
    private final RandomGenerator random;

    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private long nextRound;

    private static final class Peer {
        long dueAt = Long.MAX_VALUE; // a sync owed after connecting
        long notBefore; // backoff after failures
        int failures;
        boolean inFlight;
        boolean connected = true;
    }

    public SyncScheduler(
            long intervalMillis,
            long onConnectDelayMillis,
            long baseBackoffMillis,
            long maxBackoffMillis,
            RandomGenerator random,
            long nowMillis) {
        if (intervalMillis < 1 || baseBackoffMillis < 1 || maxBackoffMillis < baseBackoffMillis) {
            throw new IllegalArgumentException(
                    "need interval >= 1 ms and 1 ms <= base backoff <= max backoff");
        }
        this.intervalMillis = intervalMillis;
        this.onConnectDelayMillis = onConnectDelayMillis;
        this.baseBackoffMillis = baseBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.random = random;
        this.nextRound = nowMillis + intervalMillis;
    }

    /**
     * A connection to {@code peer} is up; {@code syncSoon} owes it a session after the on-connect
     * delay (the dialing side asks for it, and one session serves both sides).
     */
    public void connected(String peer, boolean syncSoon, long nowMillis) {
        Peer p = peers.computeIfAbsent(peer, k -> new Peer());
        p.connected = true;
        if (syncSoon) {
            p.dueAt = Math.min(p.dueAt, nowMillis + onConnectDelayMillis);
        }
    }

    public void disconnected(String peer) {
        Peer p = peers.get(peer);
        if (p != null && !p.inFlight) {
            peers.remove(peer);
        } else if (p != null) {
            p.connected = false;
            p.dueAt = Long.MAX_VALUE;
        }
    }

    /** The peers to start a session with now; each is in flight until {@link #finished}. */
    public List<String> due(long nowMillis) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Peer> e : peers.entrySet()) {
            Peer p = e.getValue();
            if (!p.inFlight && p.dueAt <= nowMillis && p.notBefore <= nowMillis) {
                p.dueAt = Long.MAX_VALUE;
                p.inFlight = true;
                out.add(e.getKey());
            }
        }
        if (nowMillis >= nextRound) {
            nextRound = nowMillis + intervalMillis;
            List<String> idle = new ArrayList<>();
            for (Map.Entry<String, Peer> e : peers.entrySet()) {
                Peer p = e.getValue();
                if (!p.inFlight && p.connected && p.notBefore <= nowMillis) {
                    idle.add(e.getKey());
                }
            }
            if (!idle.isEmpty()) {
                String pick = idle.get(random.nextInt(idle.size()));
                peers.get(pick).inFlight = true;
                out.add(pick);
            }
        }
        return out;
    }

    /** A session with {@code peer} ended; a failure backs the peer off. */
    public void finished(String peer, boolean ok, long nowMillis) {
        Peer p = peers.get(peer);
        if (p == null) {
            return;
        }
        p.inFlight = false;
        if (ok) {
            p.failures = 0;
            p.notBefore = 0;
        } else {
            p.failures = Math.min(p.failures + 1, 30);
            long backoff = Math.min(maxBackoffMillis, baseBackoffMillis << (p.failures - 1));
            p.notBefore = nowMillis + backoff;
        }
        if (!p.connected) {
            peers.remove(peer);
        }
    }

    /** When {@link #due} may next have something to return. */
    public long nextWakeup(long nowMillis) {
        long t = nextRound;
        for (Peer p : peers.values()) {
            if (!p.inFlight && p.dueAt != Long.MAX_VALUE) {
                t = Math.min(t, Math.max(p.dueAt, p.notBefore));
            }
        }
        return Math.max(t, nowMillis);
    }

    /** Connected peers, each with whether a session with it is in flight. */
    public Map<String, Boolean> peers() {
        Map<String, Boolean> out = new HashMap<>();
        peers.forEach(
                (k, v) -> {
                    if (v.connected) {
                        out.put(k, v.inFlight);
                    }
                });
        return out;
    }
}
