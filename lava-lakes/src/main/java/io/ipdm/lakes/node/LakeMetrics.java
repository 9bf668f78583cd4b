package io.ipdm.lakes.node;

import io.ipdm.lakes.store.Tier;
import io.ipdm.lakes.store.TierMetrics;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.node.MeshMetrics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The metrics every {@link LakeNode} registers: the mesh ({@code ipdm_node_peers}, {@code
 * ipdm_node_gossipsub_*}), the network stack ({@code ipdm_node_dht_*}, {@code ipdm_node_bitswap_*})
 * and the lake ({@code ipdm_node_lake_*}). docs/metrics.md lists them.
 */
final class LakeMetrics {
    private LakeMetrics() {}

    static void register(MetricRegistry r, LakeNode node, NetworkStack network) {
        MeshMetrics.register(r, node.mesh());
        network.registerMetrics(r);
        Supplier<NodeStatus> s = r.perScrape(node::status);
        r.gauge(
                "ipdm_node_lake_blocks",
                "Blocks stored in the lake (warm and cold tiers).",
                () -> s.get().blocks());
        r.gauge(
                "ipdm_node_lake_bytes",
                "Bytes of the blocks stored in the lake.",
                () -> s.get().bytes());
        r.gauge(
                "ipdm_node_lake_pinned_roots",
                "Pinned roots in the lake.",
                () -> s.get().pinnedRoots());
        r.gauge(
                "ipdm_node_lake_announced",
                "CIDs this node announced as a provider since it started.",
                () -> s.get().provided());
        r.counter(
                "ipdm_node_lake_network_reads_total",
                "Blocks the read path fetched from peers.",
                () -> s.get().networkReads());
        r.counter(
                "ipdm_node_lake_network_misses_total",
                "Reads from the network no peer answered.",
                () -> s.get().networkMisses());
        TierMetrics t = node.store().metrics();
        perTier(r, "ipdm_node_lake_tier_hits_total", "Reads answered by each tier.", t::hits);
        perTier(r, "ipdm_node_lake_tier_misses_total", "Reads a tier did not hold.", t::misses);
        perTier(
                r,
                "ipdm_node_lake_tier_promotions_total",
                "Blocks copied into a faster tier on read.",
                t::promotions);
        perTier(
                r,
                "ipdm_node_lake_tier_demotions_total",
                "Blocks moved out of a tier to a slower one.",
                t::demotions);
    }

    private static void perTier(
            MetricRegistry r, String name, String help, Function<Tier, Long> value) {
        r.family(
                name,
                help,
                MetricRegistry.Type.COUNTER,
                "tier",
                () -> {
                    Map<String, Long> m = new LinkedHashMap<>();
                    for (Tier tier : Tier.values()) {
                        m.put(tier.name().toLowerCase(Locale.ROOT), value.apply(tier));
                    }
                    return m;
                });
    }
}
