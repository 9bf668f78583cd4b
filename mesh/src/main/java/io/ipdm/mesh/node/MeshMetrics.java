package io.ipdm.mesh.node;

import io.ipdm.mesh.gossipsub.GossipMetrics;
import io.ipdm.mesh.metrics.MetricRegistry;
import java.util.function.Supplier;

/** A mesh node's connections and gossipsub counters as {@code ipdm_node_*} metrics. */
public final class MeshMetrics {
    private MeshMetrics() {}

    public static void register(MetricRegistry r, MeshNode node) {
        Supplier<NodeMetrics> m = r.perScrape(node::metrics);
        Supplier<GossipMetrics> g = () -> m.get().gossip();
        r.gauge("ipdm_node_peers", "Connected libp2p peers.", () -> m.get().connections());
        r.gauge("ipdm_node_gossipsub_peers", "Peers speaking gossipsub.", () -> g.get().peers());
        r.family(
                "ipdm_node_gossipsub_mesh_peers",
                "Peers in this node's gossipsub mesh, per topic.",
                MetricRegistry.Type.GAUGE,
                "topic",
                () -> g.get().meshSizes());
        r.counter(
                "ipdm_node_gossipsub_published_total",
                "Messages this node published.",
                () -> g.get().published());
        r.counter(
                "ipdm_node_gossipsub_received_total",
                "Messages delivered to this node's subscribers.",
                () -> m.get().messagesReceived());
        r.counter(
                "ipdm_node_gossipsub_delivered_total",
                "First copies of valid messages from peers.",
                () -> g.get().delivered());
        r.counter(
                "ipdm_node_gossipsub_duplicates_total",
                "Copies of messages already seen.",
                () -> g.get().duplicates());
        r.counter(
                "ipdm_node_gossipsub_invalid_total",
                "Messages refused by validation (bad signature, rejected by a validator).",
                () -> g.get().invalid());
        r.counter(
                "ipdm_node_gossipsub_forwarded_total",
                "Messages forwarded to mesh peers.",
                () -> g.get().forwarded());
        r.counter(
                "ipdm_node_gossipsub_graylisted_rpcs_total",
                "RPCs ignored because their sender's score is below the graylist threshold.",
                () -> g.get().graylistedRpcs());
        r.counter(
                "ipdm_node_gossipsub_malformed_rpcs_total",
                "RPCs that did not decode.",
                () -> g.get().malformedRpcs());
    }
}
