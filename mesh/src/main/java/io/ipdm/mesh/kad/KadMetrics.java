package io.ipdm.mesh.kad;

import io.ipdm.mesh.metrics.MetricRegistry;
import java.util.function.Supplier;

/** Kademlia DHT sizes and counters ({@link KadStats}) as {@code ipdm_node_dht_*} metrics. */
public final class KadMetrics {
    private KadMetrics() {}

    public static void register(MetricRegistry r, Supplier<KadStats> stats) {
        Supplier<KadStats> s = r.perScrape(stats);
        r.gauge(
                "ipdm_node_dht_routing_table_peers",
                "Peers in the routing table.",
                () -> s.get().routingTableSize());
        r.gauge(
                "ipdm_node_dht_provider_keys",
                "Keys this node holds provider records for.",
                () -> s.get().providerKeys());
        r.gauge(
                "ipdm_node_dht_provider_records",
                "Provider records this node holds (its own included).",
                () -> s.get().providerRecords());
        r.gauge(
                "ipdm_node_dht_provided_keys",
                "Keys this node announces as a provider (republished).",
                () -> s.get().providedKeys());
        r.gauge(
                "ipdm_node_dht_queued_provides",
                "Announcements waiting for a lookup slot.",
                () -> s.get().queuedProvides());
        r.gauge(
                "ipdm_node_dht_active_queries",
                "Lookups (find peer, find providers, provide) in progress.",
                () -> s.get().activeLookups());
        r.gauge(
                "ipdm_node_dht_pending_requests",
                "Requests sent and not yet answered.",
                () -> s.get().pendingRequests());
        r.counter(
                "ipdm_node_dht_requests_in_total",
                "DHT requests received.",
                () -> s.get().requestsIn());
        r.counter(
                "ipdm_node_dht_requests_refused_total",
                "DHT requests refused (malformed, over a limit, from a banned peer).",
                () -> s.get().requestsRefused());
        r.counter(
                "ipdm_node_dht_requests_out_total",
                "DHT requests sent.",
                () -> s.get().requestsOut());
        r.counter(
                "ipdm_node_dht_requests_failed_total",
                "DHT requests sent that failed or timed out.",
                () -> s.get().requestsFailed());
        r.counter(
                "ipdm_node_dht_penalties_total",
                "Penalties given to peers for bad DHT messages.",
                () -> s.get().penalties());
        r.gauge(
                "ipdm_node_dht_banned_peers",
                "Peers the DHT refuses now.",
                () -> s.get().bannedPeers());
        r.gauge(
                "ipdm_node_dht_connected_contacts",
                "Routing-table contacts this node is connected to (kept at KadConfig.minConnections).",
                () -> s.get().connectedContacts());
        r.counter(
                "ipdm_node_dht_upkeep_requests_total",
                "FIND_NODE requests sent to redial contacts after the connected ones fell below the"
                        + " low-water mark.",
                () -> s.get().upkeepRequests());
    }
}
