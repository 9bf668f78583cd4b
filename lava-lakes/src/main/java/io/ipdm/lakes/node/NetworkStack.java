package io.ipdm.lakes.node;

import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.mesh.node.MeshNode;

/**
 * The IPFS protocols a node runs on its mesh host: content routing (the DHT) and block exchange
 * (Bitswap). Installed once per host; closing it withdraws the protocols.
 */
public interface NetworkStack extends AutoCloseable {
    ContentRouting routing();

    BlockExchange exchange();

    @Override
    void close();

    /** Installs the stack on a started mesh node. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param local what this node serves to peers (its lake only, never the network)
         * @param server whether the node answers DHT queries and serves blocks (storage role), or
         *     only asks (a gateway or a one-shot {@code lake get --network})
         */
        NetworkStack install(MeshNode mesh, BlockSource local, boolean server);
    }
}
