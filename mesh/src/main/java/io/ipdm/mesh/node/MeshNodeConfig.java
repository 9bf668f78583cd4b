package io.ipdm.mesh.node;

import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.gossipsub.ScoreParams;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What a mesh node runs with.
 *
 * @param listen TCP addresses to listen on (port 0 picks a free one)
 * @param bootstrap peers to dial at start, each with /p2p/
 * @param topics gossipsub topics to subscribe to at start
 * @param keyFile identity key file, created if missing; null for a fresh identity per run
 */
public record MeshNodeConfig(
        List<Multiaddr> listen,
        List<Multiaddr> bootstrap,
        List<String> topics,
        Path keyFile,
        String agentVersion,
        TransportConfig transport,
        GossipConfig gossip,
        ScoreParams score) {

    public MeshNodeConfig {
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
    }

    public static MeshNodeConfig of(
            List<Multiaddr> listen, List<Multiaddr> bootstrap, List<String> topics) {
        return new MeshNodeConfig(
                listen,
                bootstrap,
                topics,
                null,
                "ipdm-mesh/0.1",
                TransportConfig.defaults(),
                GossipConfig.defaults(),
                ScoreParams.defaults());
    }

    public MeshNodeConfig withKeyFile(Path path) {
        return new MeshNodeConfig(
                listen, bootstrap, topics, path, agentVersion, transport, gossip, score);
    }

    public MeshNodeConfig withGossip(GossipConfig g) {
        return new MeshNodeConfig(
                listen, bootstrap, topics, keyFile, agentVersion, transport, g, score);
    }
}
