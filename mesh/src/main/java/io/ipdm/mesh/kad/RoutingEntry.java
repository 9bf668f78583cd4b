package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Instant;
import java.util.List;

/**
 * One contact of the routing table, as {@link Kademlia#routingTable()} shows it.
 *
 * @param bucket the common prefix length with our own key (bucket index, 0 = farthest half)
 * @param lastSeen when it last answered us or identified as a DHT server
 * @param failures consecutive failed requests
 */
public record RoutingEntry(
        PeerId peer, List<Multiaddr> addrs, int bucket, Instant lastSeen, int failures) {}
