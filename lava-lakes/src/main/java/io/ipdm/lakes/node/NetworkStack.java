package io.ipdm.lakes.node;

import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import java.util.List;

/**
 * The IPFS protocols a node runs on its mesh host: content routing (the DHT) and block exchange
 * (Bitswap). Installed once per host; closing it withdraws the protocols.
 */
public interface NetworkStack extends AutoCloseable {
    ContentRouting routing();

    BlockExchange exchange();

    /** Adds the stack's metrics (DHT, Bitswap) to a node's registry; none by default. */
    default void registerMetrics(MetricRegistry registry) {}

    @Override
    void close();

    /** Installs the stack on a started mesh node. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param local the lake; a server serves it to peers (never the network behind it)
         * @param server whether the node answers DHT queries and serves blocks (storage role), or
         *     only asks (a gateway or a one-shot {@code lake get --network})
         * @param bootstrap peers the DHT starts from
         */
        NetworkStack install(
                MeshNode mesh, TieredStore local, boolean server, List<Multiaddr> bootstrap);
    }
}
