package io.ipdm.lakes.node;

import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
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
        NodeDurability durability) {

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
    }

    /** A node that trusts no key, with the default durability settings. */
    public NodeConfig(
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
            StorageConfig storage) {
        this(
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
                TrustList.EMPTY,
                List.of(),
                NodeDurability.defaults());
    }

    /** A node trusting {@code trust}, with the default durability settings. */
    public NodeConfig(
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
            TrustList trust) {
        this(
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
                List.of(),
                NodeDurability.defaults());
    }

    /** A node trusting {@code trust} and advertising {@code domains}, default durability. */
    public NodeConfig(
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
            List<String> domains) {
        this(
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
                NodeDurability.defaults());
    }

    /** A node trusting {@code trust}, in no domain, with {@code durability}. */
    public NodeConfig(
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
            NodeDurability durability) {
        this(
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
                List.of(),
                durability);
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
        return lake.resolve("node.json");
    }
}
