package io.ipdm.lakes.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.lakes.gateway.Gateway;
import io.ipdm.lakes.gateway.GatewayLimits;
import io.ipdm.lakes.gateway.RoutingV1;
import io.ipdm.lakes.network.ContentRouting;
import io.ipdm.lakes.store.ArchiveManifest;
import io.ipdm.lakes.store.LocalArchiveStorage;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.store.WarmTier;
import io.ipdm.lakes.verify.AttestationPolicy;
import io.ipdm.lakes.verify.AttestationService;
import io.ipdm.mesh.metrics.MetricRegistry;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.Domains;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.peers.IdentityStore;
import io.ipdm.mesh.peers.PeerMonitor;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.riblt.SyncConfig;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ipdm node}: a lake, a mesh peer with a persistent identity, the IPFS network stack
 * (DHT and Bitswap) and what its roles add.
 *
 * <ul>
 *   <li>storage: serves blocks and answers DHT queries (server mode), and announces the pinned
 *       roots or every block (see {@link NodeConfig.Provide}) at start and whenever new ones
 *       appear; runs the durability protocols ({@link DurabilityService}: replication
 *       subscriptions, responsibility, integrity challenges, {@code /durability} on the admin
 *       endpoint)
 *   <li>gateway: the trustless HTTP gateway over the node's read path (lake, then network)
 *   <li>processing: the same read path over HTTP, for pipeline jobs on this machine (the gateway's
 *       address is in {@code node.json})
 * </ul>
 *
 * Every node has a status endpoint on 127.0.0.1 ({@code GET /status}, JSON) whose address is
 * written to {@code node.json} in the lake directory while the node runs.
 */
public final class LakeNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeNode.class);
    private static final long ANNOUNCE_EVERY_SECONDS = 10;

    private final NodeConfig config;
    private final TieredStore store;
    private final AttestationPolicy attestationPolicy;
    private AttestationService attestations;
    private final Set<Cid> announced = ConcurrentHashMap.newKeySet();
    private final MetricRegistry metrics = new MetricRegistry();
    private int announcedAtTableSize;
    private MeshNode mesh;
    private NetworkStack network;
    private NetworkReads reads;
    private Gateway gateway;
    private HttpServer admin;
    private RecordStore recordStore;
    private RecordService records;
    private PeerMonitor peers;
    private Domains domains;
    private ScheduledExecutorService tasks;
    private DurabilityService durability;
    private NameService names;

    private LakeNode(NodeConfig config, TieredStore store, AttestationPolicy attestationPolicy) {
        this.config = config;
        this.store = store;
        this.attestationPolicy = attestationPolicy;
    }

    /** Opens the lake, starts the mesh and the roles; close it to stop. */
    public static LakeNode start(NodeConfig config, NetworkStack.Factory networkFactory)
            throws IOException {
        return start(config, networkFactory, AttestationPolicy.of(config.trust(), 2));
    }

    /**
     * As {@link #start(NodeConfig, NetworkStack.Factory)}, counting attestations by {@code policy}.
     */
    public static LakeNode start(
            NodeConfig config, NetworkStack.Factory networkFactory, AttestationPolicy policy)
            throws IOException {
        Files.createDirectories(config.lake());
        TieredStore store =
                TieredStore.open(
                        config.lake(),
                        config.storage().hotBytes(),
                        new LocalArchiveStorage(config.lake().resolve("cold")),
                        config.storage().coldArchiveBytes(),
                        Clock.systemUTC());
        LakeNode n = new LakeNode(config, store, policy);
        try {
            n.startServices(networkFactory);
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void startServices(NetworkStack.Factory networkFactory) throws IOException {
        MeshNodeConfig meshConfig =
                // no bootstrap here: the DHT dials the bootstrap peers (two dials racing to one
                // peer end with one connection closed, and the streams opened on it lost)
                MeshNodeConfig.of(config.listen(), List.of(), config.topics())
                        .withKeyFile(config.keyFile());
        mesh = MeshNode.start(meshConfig);
        recordStore =
                RecordStore.open(
                        config.recordLog(),
                        SyncConfig.defaults().maxValueBytes(),
                        RecordKinds.policy(config.trust(), attestationPolicy));
        if (recordStore.recovery() != null) {
            LOG.warn("{}", recordStore.recovery());
        }
        records = RecordService.start(mesh, recordStore, RecordService.Config.defaults());
        peers =
                PeerMonitor.start(
                        mesh,
                        IdentityStore.open(
                                config.peerFile(), config.trust(), System::currentTimeMillis),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1));
        // a peer that sent a forged or undecodable record in a reconciliation loses reputation
        records.onPeerMisbehaved((p, why) -> peers.store().outcome(p, "records", false, why));
        // and one that broke Yamux's rules (protocol error, connection receive budget overrun)
        mesh.host().onPeerMisbehaved((p, why) -> peers.store().outcome(p, "yamux", false, why));
        domains = new Domains(mesh, records, peers.store(), Clock.systemUTC());
        for (String d : config.domains()) {
            domains.join(d);
        }
        network =
                DelegatedRoutingStack.over(networkFactory, config.routers())
                        .install(mesh, store, config.has(NodeRole.STORAGE), config.bootstrap());
        reads =
                new NetworkReads(
                        store,
                        config.storage(),
                        network,
                        config.bootstrap(),
                        config.readTimeout(),
                        () -> {});
        if (network.dht() != null) {
            names =
                    new NameService(
                            mesh.host().identity(),
                            network.dht(),
                            config.lake().resolve("ipns").resolve("self.properties"),
                            Clock.systemUTC(),
                            config.readTimeout(),
                            config.ipnsRepublish());
        }
        if (config.has(NodeRole.GATEWAY) || config.has(NodeRole.PROCESSING)) {
            gateway =
                    Gateway.start(
                            reads.orNull(),
                            new InetSocketAddress(config.gatewayHost(), config.gatewayPort()),
                            GatewayLimits.DEFAULT,
                            names == null ? null : names::resolve,
                            config.has(NodeRole.GATEWAY) ? routingV1() : null);
        }
        tasks =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-node-tasks");
                            t.setDaemon(true);
                            return t;
                        });
        if (names != null) {
            tasks.schedule(this::republishName, 30, TimeUnit.SECONDS);
        }
        if (config.has(NodeRole.STORAGE)) {
            tasks.scheduleWithFixedDelay(
                    this::announce, 0, ANNOUNCE_EVERY_SECONDS, TimeUnit.SECONDS);
            String fault = StoreFaults.configured();
            if (fault != null) {
                StoreFaults.install(fault, store, tasks);
            }
            durability =
                    DurabilityService.start(
                            mesh,
                            network,
                            reads.network(),
                            store,
                            tasks,
                            config.durability(),
                            config.trust(),
                            records,
                            config.lake(),
                            fault);
        }
        try {
            admin = HttpServer.create(new InetSocketAddress("127.0.0.1", config.adminPort()), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot serve the status endpoint on 127.0.0.1:"
                            + config.adminPort()
                            + ": "
                            + e.getMessage()
                            + "; choose another --admin-port or free that one (0 picks any free"
                            + " port)",
                    e);
        }
        admin.createContext("/status", this::serveStatus);
        admin.createContext("/records", ex -> serveJson(ex, () -> records.status().toJson()));
        admin.createContext("/peers", ex -> serveJson(ex, () -> peers.store().toJson()));
        if (durability != null) {
            DurabilityAdmin.install(admin, durability);
        }
        if (names != null) {
            NameAdmin.install(admin, names);
        }
        attestations = new AttestationService(store, records, attestationPolicy, peers.store());
        attestations.start(admin);
        admin.setExecutor(tasks);
        admin.start();
        LakeMetrics.register(metrics, this, network);
        if (durability != null) {
            durability.registerMetrics(metrics);
        }
        registerRecordMetrics();
        writeInfo();
    }

    /** The delegated routing API a gateway serves, answered from this node's own DHT. */
    private RoutingV1 routingV1() {
        return new RoutingV1(
                new NodeRoutingV1(
                        mesh,
                        store,
                        network,
                        DelegatedRoutingStack.own(network),
                        config.has(NodeRole.STORAGE),
                        Clock.systemUTC()),
                config.routingLimits(),
                Clock.systemUTC());
    }

    /**
     * Runs the name service's republish timer: waits as long as it asks (re-checked every 10 min).
     */
    private void republishName() {
        long ms = 600_000;
        try {
            Duration next = names.republishIfDue();
            ms = next == null ? ms : Math.clamp(next.toMillis(), 1_000, ms);
        } finally {
            try {
                tasks.schedule(this::republishName, ms, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the node is closing
            }
        }
    }

    /**
     * Announces what the provide strategy names and was not announced yet; everything again when
     * the routing table grew (an announcement made before the node knew its neighbours reached few
     * of the peers closest to the key). The DHT republishes what it announced until the strategy no
     * longer names it (a root unpinned, a block collected): then it is withdrawn.
     */
    void announce() {
        try {
            int table = network.routing().status().routingTableSize();
            boolean again = table > announcedAtTableSize;
            announcedAtTableSize = Math.max(announcedAtTableSize, table);
            Set<Cid> cids =
                    new java.util.LinkedHashSet<>(
                            config.provide() == NodeConfig.Provide.ROOTS
                                    ? store.pins()
                                    : store.warm().scan(e -> true, Integer.MAX_VALUE).stream()
                                            .map(WarmTier.Entry::cid)
                                            .toList());
            for (java.util.Iterator<Cid> it = announced.iterator(); it.hasNext(); ) {
                Cid c = it.next();
                if (!cids.contains(c)) {
                    it.remove();
                    network.routing().stopProviding(c);
                }
            }
            for (Cid c : cids) {
                if (announced.add(c) || again) {
                    network.routing().provide(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("announcing provider records failed: {}", e.toString());
        }
    }

    private void registerRecordMetrics() {
        java.util.function.Supplier<io.ipdm.mesh.node.RecordStatus> r =
                metrics.perScrape(records::status);
        metrics.gauge("ipdm_node_records", "Signed records held.", () -> r.get().records());
        metrics.counter(
                "ipdm_node_records_gossip_refused_total",
                "Gossiped records refused as forged or malformed.",
                () -> r.get().gossip().get("forged") + r.get().gossip().get("malformed"));
        metrics.counter(
                "ipdm_node_records_sync_sessions_total",
                "Record reconciliations this node started that completed.",
                () -> r.get().syncSessions());
        metrics.counter(
                "ipdm_node_records_sync_failures_total",
                "Record reconciliations this node started that failed.",
                () -> r.get().syncFailures());
        metrics.gauge("ipdm_node_peers_known", "Peers in the identity store.", peers.store()::size);
    }

    private void serveStatus(HttpExchange ex) throws IOException {
        serveJson(
                ex,
                () -> {
                    String s = status().toJson();
                    // the record service's counters ride along under "records"
                    return s.substring(0, s.length() - 1)
                            + ",\"records\":"
                            + records.status().toJson()
                            + "}";
                });
    }

    private static void serveJson(HttpExchange ex, java.util.function.Supplier<String> json)
            throws IOException {
        try (ex) {
            AdminHttp.reply(ex, 200, json.get());
        } catch (RuntimeException e) {
            LOG.warn("status failed", e);
        }
    }

    private void writeInfo() throws IOException {
        new NodeInfo(
                        ProcessHandle.current().pid(),
                        mesh.peerId().toBase58(),
                        adminUri(),
                        gateway == null ? null : gateway.baseUri().toString(),
                        mesh.addresses().stream().map(Multiaddr::toString).toList())
                .write(config.lake());
    }

    public String adminUri() {
        return "http://127.0.0.1:" + admin.getAddress().getPort();
    }

    public NodeStatus status() {
        ContentRouting.Status r = network.routing().status();
        List<String> peers = new ArrayList<>();
        for (Connection c : mesh.host().connections()) {
            peers.add(c.remotePeer().toBase58());
        }
        long[] warm = {0, 0};
        store.warm()
                .scan(
                        e -> {
                            warm[0]++;
                            warm[1] += e.size();
                            return false;
                        },
                        1);
        long coldBlocks = 0;
        long coldBytes = 0;
        try {
            for (ArchiveManifest m : store.cold().manifests()) {
                coldBlocks += m.blocks();
                coldBytes += m.payloadSize();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NodeStatus(
                mesh.peerId().toBase58(),
                config.roles().stream().map(NodeRole::id).toList(),
                mesh.addresses().stream().map(Multiaddr::toString).toList(),
                gateway == null ? null : gateway.baseUri().toString(),
                peers,
                r.routingTableSize(),
                r.bucketSizes(),
                warm[0] + coldBlocks,
                warm[1] + coldBytes,
                store.pins().size(),
                reads.network().pendingWants(),
                r.providerRecords(),
                announced.size(),
                reads.network().fetched(),
                reads.network().failed(),
                reads.prefetcher().networkPrefetchActive());
    }

    public MeshNode mesh() {
        return mesh;
    }

    /** Attestations this node has seen and how it judges them (docs/verification.md). */
    public AttestationService attestations() {
        return attestations;
    }

    /**
     * Signed records: publish, listen by key prefix, reconciled with peers ({@code GET /records} on
     * the admin address shows its counters).
     */
    public RecordService records() {
        return records;
    }

    /**
     * Per-peer measurements, trust and reputation; services report outcomes with {@code
     * identities().outcome(peer, "challenge", good, reason)}.
     */
    public IdentityStore identities() {
        return peers.store();
    }

    /** Peer exchange: {@code peers().exchange(peer, n)} asks a peer to introduce others. */
    public PeerMonitor peers() {
        return peers;
    }

    /** Domain adverts and anycast requests to the best member. */
    public Domains domains() {
        return domains;
    }

    /** The keys this node trusts ({@code --trust}). */
    public io.ipdm.mesh.identity.TrustList trust() {
        return config.trust();
    }

    /** The gateway, or null without the gateway and processing roles. */
    public Gateway gateway() {
        return gateway;
    }

    /** The node's read path: lake, then network. */
    public NetworkReads reads() {
        return reads;
    }

    public TieredStore store() {
        return store;
    }

    /** The node's IPNS name service, or null when its network has no DHT. */
    public NameService names() {
        return names;
    }

    /** The durability protocols, or null without the storage role. */
    public DurabilityService durability() {
        return durability;
    }

    /**
     * The node's metrics ({@code ipdm node --metrics-port} serves them); a service started with the
     * node registers its own counters here (docs/metrics.md).
     */
    public MetricRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        Path info = config.infoFile();
        if (admin != null) {
            admin.stop(0);
        }
        if (durability != null) {
            durability.close();
        }
        if (tasks != null) {
            tasks.shutdownNow();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (reads != null) {
            reads.close();
        }
        if (network != null) {
            network.close();
        }
        if (records != null) {
            records.close();
        }
        if (peers != null) {
            peers.close();
        }
        if (mesh != null) {
            mesh.close();
        }
        if (recordStore != null) {
            recordStore.close();
        }
        try {
            store.close();
            Files.deleteIfExists(info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
