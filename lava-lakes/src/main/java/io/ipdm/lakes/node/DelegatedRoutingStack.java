package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.network.DelegatedRouting;
import io.ipdm.lakes.network.DelegatedRoutingChain;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.multiformats.Cid;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * A network stack whose content routing also asks delegated routers ({@code ipdm node --routing
 * URL}, {@code lake get --routing URL}): {@link DelegatedRoutingChain} over the stack's own DHT;
 * everything else is the wrapped stack's.
 */
public final class DelegatedRoutingStack implements NetworkStack {
    private final NetworkStack inner;
    private final ContentRouting routing;

    private DelegatedRoutingStack(NetworkStack inner, List<URI> routers) {
        this.inner = inner;
        this.routing =
                new DelegatedRoutingChain(
                        inner.routing(), routers.stream().map(DelegatedRouting::new).toList());
    }

    /** {@code factory}'s stacks routed through {@code routers} too; {@code factory} if none. */
    public static NetworkStack.Factory over(NetworkStack.Factory factory, List<URI> routers) {
        if (routers.isEmpty()) {
            return factory;
        }
        List<URI> copy = List.copyOf(routers);
        return (mesh, local, server, bootstrap) ->
                new DelegatedRoutingStack(factory.install(mesh, local, server, bootstrap), copy);
    }

    /** The stack's own routing, without delegated routers (what this node answers others with). */
    static ContentRouting own(NetworkStack stack) {
        return stack instanceof DelegatedRoutingStack d ? d.inner.routing() : stack.routing();
    }

    @Override
    public ContentRouting routing() {
        return routing;
    }

    @Override
    public BlockExchange exchange() {
        return inner.exchange();
    }

    @Override
    public List<RoutingEntry> routingTable() {
        return inner.routingTable();
    }

    @Override
    public BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout) {
        return inner.fetchDag(root, peers, local, sink, timeout);
    }

    @Override
    public KadNetwork dht() {
        return inner.dht();
    }

    @Override
    public void registerMetrics(MetricRegistry registry) {
        inner.registerMetrics(registry);
    }

    @Override
    public void close() {
        inner.close();
    }
}
