package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The IPFS protocols a node runs on its mesh host: content routing (the DHT) and block exchange
 * (Bitswap). Installed once per host; closing it withdraws the protocols.
 */
public interface NetworkStack extends AutoCloseable {
    ContentRouting routing();

    BlockExchange exchange();

    /** The DHT's routing table: the DHT servers this node knows, with their addresses. */
    List<RoutingEntry> routingTable();

    /**
     * Fetches the DAG under {@code root}: first from {@code peers} (dialed where needed), or from
     * every connected Bitswap peer when {@code peers} is empty; a block none of them sent within a
     * second (the root at once when nobody can be asked) is looked up in the DHT (GET_PROVIDERS,
     * FIND_NODE for a provider without an address), and the providers found are dialed and join the
     * fetch, within per-fetch limits on lookups and dials. Blocks {@code local} holds are not
     * fetched, every fetched block, checked against its CID, goes to {@code sink}. Blocks the
     * calling thread; fails with a {@link io.ipdm.lakes.bitswap.BitswapException} naming the root,
     * the missing block, the peers asked and the providers found and dialed when {@code timeout}
     * passes first.
     */
    BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout);

    /**
     * As {@link #fetchDag(Cid, Collection, BlockSource, Consumer, Duration)}, looking providers up
     * through {@code routing}: a stack that wraps this one with more routing (e.g. delegated
     * routers) passes its own. By default {@code routing} is not used.
     */
    default BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout,
            ContentRouting routing) {
        return fetchDag(root, peers, local, sink, timeout);
    }

    /** The DHT for values (IPNS records), or null when the stack has none. */
    default io.ipdm.mesh.kad.KadNetwork dht() {
        return null;
    }

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
