package io.ipdm.lakes.node;

import io.ipdm.mesh.json.JsonStrings;
import java.util.List;

/**
 * What {@code ipdm node status} shows: identity and roles, connected peers, the DHT routing table,
 * what the lake stores, pending Bitswap wants and provider records.
 *
 * @param bucketSizes peers per non-empty k-bucket, nearest bucket last
 * @param blocks blocks stored (warm and cold tiers)
 * @param bytes bytes of those blocks
 * @param networkReads blocks fetched from peers since start
 * @param networkMisses reads no peer answered
 */
public record NodeStatus(
        String peerId,
        List<String> roles,
        List<String> addresses,
        String gateway,
        List<String> peers,
        int routingTableSize,
        List<Integer> bucketSizes,
        long blocks,
        long bytes,
        long pinnedRoots,
        long pendingWants,
        long providerRecords,
        long provided,
        long networkReads,
        long networkMisses,
        boolean prefetchActive) {

    /** One JSON object (what {@code GET /status} answers). */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        str(sb, "peer_id", peerId).append(',');
        strs(sb, "roles", roles).append(',');
        strs(sb, "addresses", addresses).append(',');
        str(sb, "gateway", gateway).append(',');
        strs(sb, "peers", peers).append(',');
        sb.append("\"routing_table_size\":").append(routingTableSize).append(',');
        sb.append("\"buckets\":").append(bucketSizes).append(',');
        sb.append("\"blocks\":").append(blocks).append(',');
        sb.append("\"bytes\":").append(bytes).append(',');
        sb.append("\"pinned_roots\":").append(pinnedRoots).append(',');
        sb.append("\"pending_wants\":").append(pendingWants).append(',');
        sb.append("\"provider_records\":").append(providerRecords).append(',');
        sb.append("\"provided\":").append(provided).append(',');
        sb.append("\"network_reads\":").append(networkReads).append(',');
        sb.append("\"network_misses\":").append(networkMisses).append(',');
        sb.append("\"prefetch_active\":").append(prefetchActive);
        return sb.append('}').toString();
    }

    private static StringBuilder str(StringBuilder sb, String k, String v) {
        sb.append('"').append(k).append("\":");
        return v == null ? sb.append("null") : quote(sb, v);
    }

    private static StringBuilder strs(StringBuilder sb, String k, List<String> vs) {
        sb.append('"').append(k).append("\":[");
        for (int i = 0; i < vs.size(); i++) {
            quote(i == 0 ? sb : sb.append(','), vs.get(i));
        }
        return sb.append(']');
    }

    /**
     * {@link JsonStrings#quote(StringBuilder, String)}, as the node package's JSON writers call it.
     */
    static StringBuilder quote(StringBuilder sb, String v) {
        return JsonStrings.quote(sb, v);
    }
}
