package io.ipdm.lakes.node;

import io.ipdm.lakes.gateway.RoutingV1;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an {@code ipdm node} runs with; {@code ipdm node}'s flags and config file keys map onto it
 * one to one.
 *
 * @param lake the lake directory; the node keeps its identity ({@code node.key}) and, while it
 *     runs, its admin address ({@code node.json}) there
 * @param listen TCP addresses for libp2p (port 0 picks a free one)
 * @param bootstrap peers dialed at start, each with /p2p/; the DHT starts from them
 * @param gatewayHost where the gateway role serves HTTP
 * @param gatewayPort the gateway's port (0 picks a free one)
 * @param adminPort the status endpoint's port on 127.0.0.1 (0 picks a free one)
 * @param provide what a storage node announces in the DHT
 * @param readTimeout how long one network block read may take
 * @param topics gossipsub topics joined at start
 * @param trust keys this node trusts, and for what ({@code --trust keys.yaml}); services ask it
 *     before acting on a signed record (empty: nobody is trusted); the durability protocols accept
 *     subscriptions from the keys with the {@code subscribe} role
 * @param domains domains this node advertises itself a member of ({@code --domain}), so peers can
 *     anycast requests to it
 * @param durability the durability protocols' settings (storage role only)
 * @param ipnsRepublish how often the node republishes its IPNS record (at most half the record's
 *     lifetime)
 * @param routers delegated routing servers ({@code --routing URL}) asked for providers besides the
 *     DHT
 * @param routingLimits what the gateway role's delegated routing API allows ({@code --routing-limit
 *     KEY=VALUE}): results per answer, lookup timeout, lookups at once
 */
public record NodeConfig(
        Set<NodeRole> roles,
        Path lake,
        List<Multiaddr> listen,
        List<Multiaddr> bootstrap,
        String gatewayHost,
        int gatewayPort,
        int adminPort,
        Provide provide,
        Duration readTimeout,
        List<String> topics,
        StorageConfig storage,
        TrustList trust,
        List<String> domains,
        NodeDurability durability,
        Duration ipnsRepublish,
        List<URI> routers,
        RoutingV1.Limits routingLimits) {

    /** Which blocks a storage node announces as their provider. */
    public enum Provide {
        /** pinned roots (what {@code lake put} and {@code import-car} pin) */
        ROOTS,
        /** every block in the lake */
        ALL
    }

    public NodeConfig {
        roles = roles.isEmpty() ? EnumSet.noneOf(NodeRole.class) : EnumSet.copyOf(roles);
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        topics = List.copyOf(topics);
        trust = trust == null ? TrustList.EMPTY : trust;
        domains = domains == null ? List.of() : List.copyOf(domains);
        routers = routers == null ? List.of() : List.copyOf(routers);
        routingLimits = routingLimits == null ? RoutingV1.Limits.DEFAULT : routingLimits;
        for (Multiaddr b : bootstrap) {
            if (b.peerId() == null) {
                throw new IllegalArgumentException(
                        "bootstrap address "
                                + b
                                + " needs a /p2p/<peer id> part so the peer can be authenticated");
            }
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("read-timeout must be positive, got " + readTimeout);
        }
        if (ipnsRepublish.isNegative() || ipnsRepublish.isZero()) {
            throw new IllegalArgumentException(
                    "ipns-republish must be positive, got " + ipnsRepublish);
        }
    }

    /**
     * A builder for a node with {@code roles} over {@code lake}; every other field starts at the
     * value an embedded node wants (loopback, free ports, pinned roots provided, 30 s reads, no
     * topics, default storage, nobody trusted, no domain, default durability). {@code ipdm node}
     * sets every field from its flags.
     */
    public static Builder builder(Set<NodeRole> roles, Path lake) {
        return new Builder(roles, lake);
    }

    /** A copy of this config as a builder, to change a few fields. */
    public Builder toBuilder() {
        return new Builder(roles, lake)
                .listen(listen)
                .bootstrap(bootstrap)
                .gateway(gatewayHost, gatewayPort)
                .adminPort(adminPort)
                .provide(provide)
                .readTimeout(readTimeout)
                .topics(topics)
                .storage(storage)
                .trust(trust)
                .domains(domains)
                .durability(durability)
                .ipnsRepublish(ipnsRepublish)
                .routers(routers)
                .routingLimits(routingLimits);
    }

    /** Collects a {@link NodeConfig}; the record's constructor checks it on {@link #build()}. */
    public static final class Builder {
        private final Set<NodeRole> roles;
        private final Path lake;
        private List<Multiaddr> listen = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        private List<Multiaddr> bootstrap = List.of();
        private String gatewayHost = "127.0.0.1";
        private int gatewayPort = 0;
        private int adminPort = 0;
        private Provide provide = Provide.ROOTS;
        private Duration readTimeout = Duration.ofSeconds(30);
        private List<String> topics = List.of();
        private StorageConfig storage = StorageConfig.defaults();
        private TrustList trust = TrustList.EMPTY;
        private List<String> domains = List.of();
        private NodeDurability durability = NodeDurability.defaults();
        private Duration ipnsRepublish = NameService.DEFAULT_REPUBLISH;
        private List<URI> routers = List.of();
        private RoutingV1.Limits routingLimits = RoutingV1.Limits.DEFAULT;

        private Builder(Set<NodeRole> roles, Path lake) {
            this.roles = roles;
            this.lake = lake;
        }

        public Builder listen(List<Multiaddr> listen) {
            this.listen = listen;
            return this;
        }

        public Builder bootstrap(List<Multiaddr> bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        public Builder gateway(String host, int port) {
            this.gatewayHost = host;
            this.gatewayPort = port;
            return this;
        }

        public Builder adminPort(int adminPort) {
            this.adminPort = adminPort;
            return this;
        }

        public Builder provide(Provide provide) {
            this.provide = provide;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        public Builder storage(StorageConfig storage) {
            this.storage = storage;
            return this;
        }

        public Builder trust(TrustList trust) {
            this.trust = trust;
            return this;
        }

        public Builder domains(List<String> domains) {
            this.domains = domains;
            return this;
        }

        public Builder durability(NodeDurability durability) {
            this.durability = durability;
            return this;
        }

        public Builder ipnsRepublish(Duration ipnsRepublish) {
            this.ipnsRepublish = ipnsRepublish;
            return this;
        }

        public Builder routers(List<URI> routers) {
            this.routers = routers;
            return this;
        }

        public Builder routingLimits(RoutingV1.Limits routingLimits) {
            this.routingLimits = routingLimits;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(
                    roles,
                    lake,
                    listen,
                    bootstrap,
                    gatewayHost,
                    gatewayPort,
                    adminPort,
                    provide,
                    readTimeout,
                    topics,
                    storage,
                    trust,
                    domains,
                    durability,
                    ipnsRepublish,
                    routers,
                    routingLimits);
        }
    }

    public boolean has(NodeRole r) {
        return roles.contains(r);
    }

    public Path keyFile() {
        return lake.resolve("node.key");
    }

    /** What the node measured of its peers (the identity store). */
    public Path peerFile() {
        return lake.resolve("peers.db");
    }

    /** The signed records the node holds and reconciles (an append-only log). */
    public Path recordLog() {
        return lake.resolve("records").resolve("records.log");
    }

    public Path infoFile() {
        return infoFile(lake);
    }

    /** Where a running node records its admin address and peer id. */
    public static Path infoFile(Path lake) {
        return NodeInfo.file(lake);
    }
}
