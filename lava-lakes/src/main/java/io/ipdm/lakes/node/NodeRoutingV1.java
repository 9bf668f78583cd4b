package io.ipdm.lakes.node;

import io.ipdm.lakes.gateway.RoutingV1Backend;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsException;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.LookupResult;
import io.ipdm.mesh.kad.ProviderRecord;
import io.ipdm.mesh.kad.RoutingEntry;
import io.ipdm.mesh.kad.ValueResult;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.multiformats.Cid;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A node's answers to the delegated routing API ({@link io.ipdm.lakes.gateway.RoutingV1}):
 *
 * <ul>
 *   <li>providers: this node first when it holds the block and serves Bitswap (storage role), then
 *       the provider records its DHT server stores, then a DHT provider lookup ({@link
 *       ContentRouting#findProviders}; never the node's own delegated routers, so two gateways
 *       routing through each other cannot loop); every one with {@code transport-bitswap}, the
 *       protocol a DHT provider record stands for
 *   <li>peers: this node, a connected peer (what it said in identify), a routing table contact, or
 *       else a DHT FIND_NODE lookup
 *   <li>closest peers: a DHT FIND_NODE lookup of the key, with what each said in identify
 *   <li>IPNS: the DHT's value records (its local store, then the network); a published record is
 *       stored here and put to the peers closest to the name
 * </ul>
 */
final class NodeRoutingV1 implements RoutingV1Backend {
    static final String BITSWAP = "transport-bitswap";

    private final MeshNode mesh;
    private final TieredStore store;
    private final NetworkStack network;
    private final ContentRouting routing;
    private final boolean servesBlocks;
    private final Clock clock;

    NodeRoutingV1(
            MeshNode mesh,
            TieredStore store,
            NetworkStack network,
            ContentRouting routing,
            boolean servesBlocks,
            Clock clock) {
        this.mesh = mesh;
        this.store = store;
        this.network = network;
        this.routing = routing;
        this.servesBlocks = servesBlocks;
        this.clock = clock;
    }

    @Override
    public void providers(Cid cid, int max, Duration timeout, Consumer<Peer> found)
            throws InterruptedException {
        PeerId self = mesh.peerId();
        int known = 0;
        if (servesBlocks && store.has(cid)) {
            found.accept(new Peer(self, ownAddrs(), List.of(BITSWAP)));
            known++;
        }
        KadNetwork dht = network.dht();
        if (dht != null) {
            for (ProviderRecord r : dht.localProviders(cid.multihash().toBytes())) {
                if (!r.provider().equals(self)) {
                    found.accept(peer(r.provider(), r.addrs()));
                    known++;
                }
            }
        }
        if (known < max) {
            routing.findProviders(
                    cid,
                    max,
                    timeout,
                    p -> {
                        if (!p.peer().equals(self)) {
                            found.accept(peer(p.peer(), p.addresses()));
                        }
                    });
        }
    }

    private static Peer peer(PeerId peer, List<Multiaddr> addrs) {
        return new Peer(
                peer,
                addrs.stream().map(NodeRoutingV1::bare).distinct().toList(),
                List.of(BITSWAP));
    }

    @Override
    public List<Peer> peers(PeerId peer, Duration timeout) throws InterruptedException {
        if (peer.equals(mesh.peerId())) {
            return List.of(new Peer(peer, ownAddrs(), protocols(mesh.host().protocols())));
        }
        Set<Multiaddr> addrs = new LinkedHashSet<>();
        List<String> protocols = List.of();
        IdentifyInfo info = mesh.identify().info(peer);
        if (info != null) {
            info.listenAddrs().forEach(a -> addrs.add(bare(a)));
            protocols = protocols(info.protocols());
        }
        for (Connection c : mesh.host().connections()) {
            if (c.remotePeer().equals(peer) && info == null && c.remoteAddress() != null) {
                addrs.add(bare(c.remoteAddress()));
            }
        }
        for (RoutingEntry e : network.routingTable()) {
            if (e.peer().equals(peer)) {
                e.addrs().forEach(a -> addrs.add(bare(a)));
            }
        }
        KadNetwork dht = network.dht();
        if (addrs.isEmpty() && dht != null) {
            LookupResult r = await(dht.findPeer(peer, timeout), timeout);
            if (r != null && r.peer() != null) {
                r.peer().addrs().forEach(a -> addrs.add(bare(a)));
            }
        }
        if (addrs.isEmpty() && info == null) {
            return List.of();
        }
        return List.of(new Peer(peer, List.copyOf(addrs), protocols));
    }

    @Override
    public List<Peer> closestPeers(byte[] key, int max, Duration timeout)
            throws InterruptedException {
        KadNetwork dht = network.dht();
        LookupResult r = dht == null ? null : await(dht.closestPeers(key, timeout), timeout);
        if (r == null) {
            return List.of();
        }
        List<Peer> out = new ArrayList<>();
        for (var p : r.closest()) {
            if (out.size() == max) {
                break;
            }
            IdentifyInfo info = mesh.identify().info(p.id());
            out.add(
                    new Peer(
                            p.id(),
                            p.addrs().stream().map(NodeRoutingV1::bare).distinct().toList(),
                            info == null ? List.of() : protocols(info.protocols())));
        }
        return out;
    }

    @Override
    public boolean servesNames() {
        return network.dht() != null;
    }

    @Override
    public IpnsRecord resolveName(PeerId name, Duration timeout) throws InterruptedException {
        ValueResult v =
                await(network.dht().getValue(IpnsRecord.routingKey(name), timeout), timeout);
        return v == null || v.value() == null
                ? null
                : IpnsRecord.verify(name, v.value(), clock.millis());
    }

    @Override
    public void publishName(IpnsRecord record, Duration timeout) throws InterruptedException {
        CompletableFuture<?> f =
                network.dht().putValue(IpnsRecord.routingKey(record.name()), record.entry());
        try {
            f.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IpnsException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            // stored here already (the DHT stores before it sends); peers get it on republish
            f.cancel(true);
        }
    }

    /**
     * A peer's libp2p protocols, led by {@code transport-bitswap} when it speaks Bitswap: the name
     * clients filter on ({@code ?filter-protocols=transport-bitswap}, Helia's default).
     */
    static List<String> protocols(List<String> libp2p) {
        List<String> out = new ArrayList<>(libp2p);
        if (libp2p.stream().anyMatch(p -> p.startsWith("/ipfs/bitswap/"))) {
            out.addFirst(BITSWAP);
        }
        return out;
    }

    /** Where peers dial this node: what its DHT announces (0.0.0.0 expanded), else listen. */
    private List<Multiaddr> ownAddrs() {
        KadNetwork dht = network.dht();
        return dht != null
                ? dht.announcedAddrs()
                : mesh.addresses().stream().map(NodeRoutingV1::bare).distinct().toList();
    }

    private static Multiaddr bare(Multiaddr a) {
        return a.peerId() == null ? a : a.withoutPeerId();
    }

    /** The lookup's result, or null when it failed or outlived its timeout. */
    private static <T> T await(CompletableFuture<T> f, Duration timeout)
            throws InterruptedException {
        try {
            return f.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return null;
        }
    }
}
