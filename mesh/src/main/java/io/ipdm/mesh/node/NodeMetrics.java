package io.ipdm.mesh.node;

import io.ipdm.mesh.gossipsub.GossipMetrics;
import java.util.Map;

/**
 * A node's counters at one moment: connections, gossip mesh sizes, messages in and out, peer
 * scores.
 */
public record NodeMetrics(
        String peerId, int connections, long messagesReceived, GossipMetrics gossip) {

    /** One line of {@code key=value} pairs, for logs and the CLI. */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        sb.append("peers=").append(connections);
        sb.append(" mesh=").append(gossip.meshSizes());
        sb.append(" published=").append(gossip.published());
        sb.append(" received=").append(messagesReceived);
        sb.append(" delivered=").append(gossip.delivered());
        sb.append(" duplicates=").append(gossip.duplicates());
        sb.append(" invalid=").append(gossip.invalid());
        sb.append(" forwarded=").append(gossip.forwarded());
        sb.append(" graylisted_rpcs=").append(gossip.graylistedRpcs());
        sb.append(" malformed_rpcs=").append(gossip.malformedRpcs());
        sb.append(" scores={");
        boolean first = true;
        for (Map.Entry<String, Double> e : gossip.scores().entrySet()) {
            sb.append(first ? "" : ", ").append(e.getKey(), 0, Math.min(16, e.getKey().length()));
            sb.append("…=").append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue()));
            first = false;
        }
        return sb.append('}').toString();
    }
}
