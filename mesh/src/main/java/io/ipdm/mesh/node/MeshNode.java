package io.ipdm.mesh.node;

import io.ipdm.mesh.gossipsub.GossipMetrics;
import io.ipdm.mesh.gossipsub.GossipSub;
import io.ipdm.mesh.gossipsub.MessageId;
import io.ipdm.mesh.gossipsub.MessageListener;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete mesh node: host (TCP, Noise, Yamux), identify, ping and gossipsub, started from a
 * {@link MeshNodeConfig}. What {@code ipdm node} runs, and what sources and sinks embed.
 */
public final class MeshNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshNode.class);

    private final Host host;
    private final Identify identify;
    private final GossipSub gossip;
    private final List<Multiaddr> addresses = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();

    private MeshNode(MeshNodeConfig cfg) {
        Ed25519KeyPair key =
                cfg.keyFile() == null
                        ? Ed25519KeyPair.generate()
                        : KeyFile.loadOrCreate(cfg.keyFile());
        host = new Host(key, cfg.transport());
        try {
            identify = Identify.install(host, cfg.agentVersion(), true);
            Ping.install(host);
            gossip = GossipSub.install(host, identify, cfg.gossip(), cfg.score());
            for (Multiaddr l : cfg.listen()) {
                addresses.add(host.listen(l));
            }
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /**
     * Starts a node: listens, subscribes to the configured topics (counting messages) and dials
     * bootstrap peers.
     */
    public static MeshNode start(MeshNodeConfig cfg) {
        MeshNode n = new MeshNode(cfg);
        for (String t : cfg.topics()) {
            n.subscribe(t, (m, from) -> {});
        }
        for (Multiaddr b : cfg.bootstrap()) {
            n.host.dial(b)
                    .whenComplete(
                            (c, e) -> {
                                if (e != null) {
                                    LOG.warn("bootstrap peer {} unreachable: {}", b, e.toString());
                                }
                            });
        }
        return n;
    }

    public PeerId peerId() {
        return host.peerId();
    }

    /** Listen addresses with /p2p/. */
    public List<Multiaddr> addresses() {
        return List.copyOf(addresses);
    }

    public Host host() {
        return host;
    }

    public GossipSub gossip() {
        return gossip;
    }

    public Identify identify() {
        return identify;
    }

    public void subscribe(String topic, MessageListener listener) {
        gossip.subscribe(
                topic,
                (m, from) -> {
                    received.incrementAndGet();
                    listener.onMessage(m, from);
                });
    }

    public CompletableFuture<MessageId> publish(String topic, byte[] data) {
        return gossip.publish(topic, data);
    }

    /**
     * Publishes once a connected peer has announced a subscription to {@code topic} (at once if one
     * has). What a node started with a message to send wants: a message published before its
     * bootstrap connection is up and the peers' subscriptions have arrived reaches nobody, and
     * gossip does not repair that for the mesh formed afterwards.
     */
    public CompletableFuture<MessageId> publishWhenSubscribed(String topic, byte[] data) {
        return gossip.awaitTopicPeer(topic).thenCompose(v -> gossip.publish(topic, data));
    }

    /** Dials {@code addr} and waits for the connection. */
    public Connection connect(Multiaddr addr, long timeoutMillis)
            throws TimeoutException, ExecutionException {
        try {
            return host.dial(addr).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dialing " + addr, e);
        }
    }

    public NodeMetrics metrics() {
        GossipMetrics g = gossip.metrics();
        return new NodeMetrics(peerId().toBase58(), host.connections().size(), received.get(), g);
    }

    @Override
    public void close() {
        gossip.close();
        host.close();
    }
}
