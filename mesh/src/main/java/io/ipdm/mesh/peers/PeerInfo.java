package io.ipdm.mesh.peers;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/**
 * What the identity store knows of one peer (a snapshot).
 *
 * @param addresses where to dial it, most preferred first (the last address a dial succeeded on,
 *     then the most recently announced or seen)
 * @param rttMillis smoothed round-trip time from pings (EWMA, 1/4 weight per sample); NaN before
 *     the first
 * @param rttSamples pings measured
 * @param firstSeen when this node first connected to it (epoch ms)
 * @param lastSeen when it was last connected or heard of (epoch ms)
 * @param connectedMillis time spent connected, closed connections only
 * @param connectedSince start of the current connection (epoch ms), or 0
 * @param good outcomes reported good (challenges passed, attestations agreeing with the majority)
 * @param bad outcomes reported bad
 * @param recentOutcomes the latest outcome reasons, newest last
 */
public record PeerInfo(
        PeerId peer,
        List<Multiaddr> addresses,
        double rttMillis,
        int rttSamples,
        long firstSeen,
        long lastSeen,
        long connectedMillis,
        long connectedSince,
        long good,
        long bad,
        List<String> recentOutcomes) {
    public PeerInfo {
        addresses = List.copyOf(addresses);
        recentOutcomes = List.copyOf(recentOutcomes);
    }

    /** Beta(1,1) mean of the outcomes: 0.5 with none, toward 1 with good, toward 0 with bad. */
    public double reputation() {
        return (good + 1.0) / (good + bad + 2.0);
    }

    /** Share of the time since first seen that it was connected, as of {@code now}. */
    public double uptime(long now) {
        long span = now - firstSeen;
        if (span <= 0) {
            return connectedSince > 0 ? 1.0 : 0.0;
        }
        long up = connectedMillis + (connectedSince > 0 ? now - connectedSince : 0);
        return Math.min(1.0, up / (double) span);
    }
}
