package io.ipdm.mesh.kad;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of an iterative lookup.
 *
 * @param providers providers found (GET_PROVIDERS), local ones first
 * @param closest the closest peers that answered, closest first (at most k)
 * @param peer the peer looked for by {@link Kademlia#findPeer}, with addresses, or null
 * @param queried peers a request was sent to
 * @param failed requests that failed or timed out
 * @param hops for provider lookups, the hop at which the first provider was found (0 = local store,
 *     1 = a peer of our routing table); otherwise the deepest hop among {@code closest}
 * @param timedOut the deadline ended the lookup before it converged
 */
public record LookupResult(
        List<KadPeer> providers,
        List<KadPeer> closest,
        KadPeer peer,
        int queried,
        int failed,
        int hops,
        boolean timedOut,
        Duration elapsed) {}
