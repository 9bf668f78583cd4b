package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.network.Provider;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.multiformats.Cid;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The IPFS network stack of a node: the Kademlia DHT for content routing and Bitswap for block
 * exchange, on the node's mesh host.
 */
public final class IpfsNetwork implements NetworkStack {
    private final ContentRouting routing;
    private final BlockExchange exchange;

    private IpfsNetwork(ContentRouting routing, BlockExchange exchange) {
        this.routing = routing;
        this.exchange = exchange;
    }

    /** See {@link NetworkStack.Factory#install}. */
    public static NetworkStack install(MeshNode mesh, BlockSource local, boolean server) {
        // TODO(node): Kademlia (io.ipdm.mesh.kad) and Bitswap (io.ipdm.lakes.bitswap) once merged
        BlockExchange none =
                new BlockExchange() {
                    @Override
                    public CompletableFuture<Block> fetch(Cid cid, Collection<Provider> providers) {
                        return CompletableFuture.failedFuture(
                                new IllegalStateException("no block exchange"));
                    }

                    @Override
                    public long pendingWants() {
                        return 0;
                    }
                };
        return new IpfsNetwork(ContentRouting.NONE, none);
    }

    @Override
    public ContentRouting routing() {
        return routing;
    }

    @Override
    public BlockExchange exchange() {
        return exchange;
    }

    @Override
    public void close() {}
}
