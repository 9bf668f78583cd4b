package io.ipdm.lakes.node;

import io.ipdm.lakes.policy.StorageConfig;
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

    /** A config with the default durability settings. */
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
                NodeDurability.defaults());
    }

    public boolean has(NodeRole r) {
        return roles.contains(r);
    }

    public Path keyFile() {
        return lake.resolve("node.key");
    }

    public Path infoFile() {
        return infoFile(lake);
    }

    /** Where a running node records its admin address and peer id. */
    public static Path infoFile(Path lake) {
        return lake.resolve("node.json");
    }
}
