package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.bitswap.Bitswap;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapException;
import io.ipdm.lakes.bitswap.BitswapMetrics;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.network.BlockExchange;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.network.Provider;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadConfig;
import io.ipdm.mesh.kad.KadMetrics;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.KadPeer;
import io.ipdm.mesh.kad.KadStats;
import io.ipdm.mesh.kad.LookupResult;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.transport.Host;
import io.ipdm.multiformats.Cid;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPFS network stack of a node: the Kademlia DHT ({@code /ipfs/kad/1.0.0}, {@link KadNetwork})
 * for content routing and Bitswap ({@link BitswapNetwork}) for block exchange, on the node's mesh
 * host. A storage node runs the DHT in server mode and serves its lake over Bitswap; other nodes
 * are DHT clients and serve nothing.
 */
public final class IpfsNetwork implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(IpfsNetwork.class);
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);

    /** Wants a DAG fetch keeps in flight. */
    private static final int PARALLEL_WANTS = 32;

    private final Host host;
    private final KadNetwork kad;
    private final BitswapNetwork bitswap;
    private final ContentRouting routing = new Routing();
    private final Exchange exchange = new Exchange();

    private IpfsNetwork(Host host, KadNetwork kad, BitswapNetwork bitswap) {
        this.host = host;
        this.kad = kad;
        this.bitswap = bitswap;
    }

    /** See {@link NetworkStack.Factory#install}. */
    public static NetworkStack install(
            MeshNode mesh, TieredStore local, boolean server, List<Multiaddr> bootstrap) {
        KadConfig kc =
                KadConfig.defaults().toBuilder()
                        .mode(server ? KadConfig.Mode.SERVER : KadConfig.Mode.CLIENT)
                        .build();
        KadNetwork kad = KadNetwork.install(mesh.host(), mesh.identify(), kc);
        BitswapNetwork bitswap;
        try {
            bitswap =
                    BitswapNetwork.start(
                            mesh.host(),
                            server ? BlockStore.of(local) : NOTHING,
                            BitswapConfig.defaults(),
                            Clock.systemUTC());
        } catch (RuntimeException e) {
            kad.close();
            throw e;
        }
        if (server) {
            // blocks that enter the lake later (puts, imports, network reads) reach waiting peers
            local.onStored(bitswap::blocksAdded);
        }
        if (!bootstrap.isEmpty()) {
            kad.bootstrap(bootstrap)
                    .whenComplete(
                            (r, e) -> {
                                if (e != null) {
                                    LOG.warn("DHT bootstrap failed: {}", e.toString());
                                } else {
                                    LOG.info(
                                            "DHT bootstrap: {} peers asked, {} closest",
                                            r.queried(),
                                            r.closest().size());
                                }
                            });
        }
        return new IpfsNetwork(mesh.host(), kad, bitswap);
    }

    private static final BlockStore NOTHING =
            new BlockStore() {
                @Override
                public Block get(Cid cid) {
                    return null;
                }

                @Override
                public boolean has(Cid cid) {
                    return false;
                }
            };

    @Override
    public ContentRouting routing() {
        return routing;
    }

    @Override
    public BlockExchange exchange() {
        return exchange;
    }

    @Override
    public List<RoutingEntry> routingTable() {
        return kad.routingTable();
    }

    @Override
    public BitswapSession.DagResult fetchDag(
            Cid root,
            Collection<PeerId> peers,
            BlockSource local,
            Consumer<Block> sink,
            Duration timeout) {
        Map<PeerId, List<Multiaddr>> known = new HashMap<>();
        for (RoutingEntry e : kad.routingTable()) {
            known.put(e.peer(), e.addrs());
        }
        List<CompletableFuture<Boolean>> dials = new ArrayList<>();
        java.util.Set<PeerId> connected = new java.util.HashSet<>();
        host.connections().forEach(c -> connected.add(c.remotePeer()));
        for (PeerId p : peers) {
            if (!p.equals(host.peerId()) && !connected.contains(p) && known.containsKey(p)) {
                dials.add(exchange.dial(new Provider(p, known.get(p))));
            }
        }
        try {
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                    .get(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // fetch from whoever is connected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitswapException("interrupted while dialing the holders of " + root, e);
        }
        try (BitswapSession s = bitswap.session(peers)) {
            return s.fetchDag(root, local, sink, PARALLEL_WANTS, timeout);
        }
    }

    @Override
    public void registerMetrics(MetricRegistry registry) {
        KadMetrics.register(registry, kad::stats);
        BitswapMetrics.register(registry, bitswap);
    }

    @Override
    public void close() {
        try {
            bitswap.close();
        } finally {
            kad.close();
        }
    }

    private static Provider provider(KadPeer p) {
        return new Provider(p.id(), p.addrs());
    }

    private final class Routing implements ContentRouting {
        @Override
        public Lookup findProviders(Cid cid, int max, Duration timeout)
                throws InterruptedException {
            CompletableFuture<LookupResult> f =
                    kad.findProviders(cid.multihash().toBytes(), max, timeout);
            LookupResult r;
            try {
                r = f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                f.cancel(true);
                LOG.info("provider lookup for {} failed: {}", cid, e.toString());
                return new Lookup(List.of(), 0);
            }
            List<Provider> out = new ArrayList<>();
            for (KadPeer p : r.providers()) {
                if (!p.id().equals(host.peerId())) {
                    out.add(provider(p));
                }
            }
            return new Lookup(out, r.queried());
        }

        @Override
        public void stopProviding(Cid cid) {
            kad.stopProviding(cid.multihash().toBytes());
            LOG.info("no longer announcing {}", cid);
        }

        @Override
        public void provide(Cid cid) {
            kad.provide(cid.multihash().toBytes())
                    .whenComplete(
                            (r, e) -> {
                                if (e != null) {
                                    LOG.warn("announcing {} failed: {}", cid, e.toString());
                                } else {
                                    LOG.info(
                                            "announced {} to {} peers ({} asked)",
                                            cid,
                                            r.sentTo().size(),
                                            r.queried());
                                }
                            });
        }

        @Override
        public Status status() {
            KadStats s = kad.stats();
            TreeMap<Integer, Integer> buckets = new TreeMap<>();
            for (RoutingEntry e : kad.routingTable()) {
                buckets.merge(e.bucket(), 1, Integer::sum);
            }
            return new Status(
                    s.routingTableSize(), List.copyOf(buckets.values()), s.providerRecords());
        }
    }

    private final class Exchange implements BlockExchange {
        @Override
        public CompletableFuture<Block> fetch(Cid cid, Collection<Provider> providers) {
            List<CompletableFuture<?>> dials = new ArrayList<>();
            List<PeerId> peers = new ArrayList<>();
            for (Provider p : providers) {
                if (p.peer().equals(host.peerId())) {
                    continue;
                }
                peers.add(p.peer());
                if (!p.addresses().isEmpty()) {
                    dials.add(dial(p));
                }
            }
            CompletableFuture<Block> result = new CompletableFuture<>();
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                    .orTimeout(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete(
                            (v, e) -> {
                                if (result.isDone()) {
                                    return;
                                }
                                BitswapSession s = bitswap.session(peers);
                                result.whenComplete((b, x) -> s.close());
                                s.want(cid).thenAccept(result::complete);
                            });
            return result;
        }

        /** Dials the provider's addresses in turn until one connects; never fails. */
        private CompletableFuture<Boolean> dial(Provider p) {
            CompletableFuture<Boolean> connected = CompletableFuture.completedFuture(false);
            for (Multiaddr a : p.addresses()) {
                Multiaddr full = a.peerId() == null ? a.withPeerId(p.peer()) : a;
                connected =
                        connected.thenCompose(
                                ok ->
                                        ok
                                                ? CompletableFuture.completedFuture(true)
                                                : host.dial(full).handle((c, e) -> e == null));
            }
            return connected;
        }

        @Override
        public long pendingWants() {
            return bitswap.call(Bitswap::wantlist).join().size();
        }
    }
}
