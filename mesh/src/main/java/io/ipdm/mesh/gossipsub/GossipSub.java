package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GossipRouter} on a {@link Host}: serves {@value #V12}, {@value #V11} and {@value
 * #V10}, feeds the router connection events, inbound RPCs and heartbeat ticks, and executes its
 * outputs over Yamux streams (one outbound stream per peer, negotiated newest version first). All
 * protocol logic is in the router; this class only moves bytes and events.
 *
 * <p>Threading: the router and everything here live on the host's event loop; public methods hop
 * onto it.
 */
public final class GossipSub {
    public static final String V12 = "/meshsub/1.2.0";
    public static final String V11 = "/meshsub/1.1.0";
    public static final String V10 = "/meshsub/1.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(GossipSub.class);

    private final Host host;
    private final Identify identify;
    private final GossipConfig cfg;
    private final GossipRouter router;
    private final Map<String, MessageListener> listeners = new HashMap<>();
    private final Map<PeerId, Connection> connections = new HashMap<>();
    private final Map<PeerId, YamuxStream> outbound = new HashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> topicWaiters = new LinkedHashMap<>();
    private ScheduledFuture<?> heartbeat;

    private GossipSub(Host host, Identify identify, GossipConfig cfg, GossipRouter router) {
        this.host = host;
        this.identify = identify;
        this.cfg = cfg;
        this.router = router;
    }

    /**
     * Installs the router on {@code host}: serves the meshsub protocols, opens a stream to every
     * connected peer and starts the heartbeat. {@code identify} (may be null) supplies addresses
     * for peer exchange.
     */
    public static GossipSub install(
            Host host, Identify identify, GossipConfig cfg, ScoreParams scoreParams) {
        return install(host, identify, cfg, scoreParams, new SecureRandom());
    }

    /**
     * As {@link #install(Host, Identify, GossipConfig, ScoreParams)}, with a chosen random source.
     */
    public static GossipSub install(
            Host host,
            Identify identify,
            GossipConfig cfg,
            ScoreParams scoreParams,
            RandomGenerator random) {
        GossipRouter router =
                new GossipRouter(
                        host.identity(),
                        cfg,
                        scoreParams,
                        System::nanoTime,
                        random,
                        // Seqnos must not repeat across restarts: start from wall-clock time.
                        System.currentTimeMillis() * 1_000_000L);
        GossipSub g = new GossipSub(host, identify, cfg, router);
        if (identify != null) {
            // signed peer records from identify are what our peer exchange offers
            identify.addListener(
                    (c, info) -> {
                        if (info.signedPeerRecord() != null) {
                            router.peerRecord(info.signedPeerRecord());
                        }
                    });
        }
        host.addProtocol(V12, g::onInboundStream);
        host.addProtocol(V11, g::onInboundStream);
        host.addProtocol(V10, g::onInboundStream);
        host.addConnectionListener(
                new ConnectionListener() {
                    @Override
                    public void onConnected(Connection c) {
                        g.onConnected(c);
                    }

                    @Override
                    public void onDisconnected(Connection c) {
                        g.onDisconnected(c);
                    }
                });
        host.onLoop(
                        () -> {
                            for (Connection c : host.connections()) {
                                g.onConnected(c);
                            }
                            long ms = cfg.heartbeatInterval().toMillis();
                            g.heartbeat =
                                    host.eventLoop()
                                            .scheduleAtFixedRate(
                                                    g::tick, ms, ms, TimeUnit.MILLISECONDS);
                            return null;
                        })
                .join();
        return g;
    }

    public Host host() {
        return host;
    }

    // ---------------------------------------------------------------- public API

    /** Subscribes to {@code topic}; {@code listener} gets each valid message once (not our own). */
    public void subscribe(String topic, MessageListener listener) {
        onLoop(
                () -> {
                    listeners.put(topic, listener);
                    router.subscribe(topic);
                    return null;
                });
    }

    public void unsubscribe(String topic) {
        onLoop(
                () -> {
                    listeners.remove(topic);
                    router.unsubscribe(topic);
                    return null;
                });
    }

    /**
     * Messages of {@code topic} failing {@code validator} are dropped and count as invalid (P4) for
     * the sender.
     */
    public void setValidator(String topic, Predicate<PubSubMessage> validator) {
        onLoop(
                () -> {
                    router.setValidator(topic, validator);
                    return null;
                });
    }

    /**
     * As {@link #setValidator}, with {@link Validation#IGNORE}: dropped, not forwarded, no penalty.
     */
    public void setValidation(
            String topic, java.util.function.Function<PubSubMessage, Validation> validator) {
        onLoop(
                () -> {
                    router.setValidation(topic, validator);
                    return null;
                });
    }

    /**
     * Signs and publishes {@code data}; completes with the message id once handed to the chosen
     * peers' streams. With no connected peer subscribed to {@code topic} it reaches nobody (see
     * {@link #awaitTopicPeer}).
     */
    public CompletableFuture<MessageId> publish(String topic, byte[] data) {
        if (data.length > cfg.maxMessageSize()) {
            return CompletableFuture.failedFuture(
                    new GossipException(
                            "message of "
                                    + data.length
                                    + " bytes exceeds maxMessageSize "
                                    + cfg.maxMessageSize()));
        }
        return host.onLoop(
                () -> {
                    MessageId id = router.publish(topic, data);
                    drain();
                    return id;
                });
    }

    /**
     * Completes when at least one connected peer has told us it subscribes to {@code topic} (at
     * once if one has): a message published before that reaches nobody.
     */
    public CompletableFuture<Void> awaitTopicPeer(String topic) {
        return host.onLoop(
                        () -> {
                            CompletableFuture<Void> f = new CompletableFuture<>();
                            if (!router.topicPeers(topic).isEmpty()) {
                                f.complete(null);
                            } else {
                                topicWaiters.computeIfAbsent(topic, t -> new ArrayList<>()).add(f);
                            }
                            return f;
                        })
                .thenCompose(f -> f);
    }

    public GossipMetrics metrics() {
        return host.onLoop(router::metrics).join();
    }

    /** The peers in our mesh for {@code topic}. */
    public Set<PeerId> meshPeers(String topic) {
        return host.onLoop(() -> router.meshPeers(topic)).join();
    }

    /** Connected peers that told us they subscribe to {@code topic}. */
    public Set<PeerId> topicPeers(String topic) {
        return host.onLoop(() -> router.topicPeers(topic)).join();
    }

    /**
     * Sets the application-specific part of {@code peer}'s score (P5, weighted by {@link
     * ScoreParams#appSpecificWeight()}); 0 clears it.
     */
    public void setApplicationScore(PeerId peer, double value) {
        onLoop(
                () -> {
                    router.setApplicationScore(peer, value);
                    return null;
                });
    }

    public double score(PeerId peer) {
        return host.onLoop(() -> router.score(peer)).join();
    }

    public void close() {
        host.onLoop(
                        () -> {
                            if (heartbeat != null) {
                                heartbeat.cancel(false);
                            }
                            return null;
                        })
                .join();
    }

    private void onLoop(java.util.function.Supplier<Void> task) {
        host.onLoop(
                        () -> {
                            task.get();
                            drain();
                            return null;
                        })
                .join();
    }

    // ---------------------------------------------------------------- events into the router

    private void tick() {
        try {
            router.tick();
            drain();
        } catch (RuntimeException e) {
            LOG.warn("gossipsub heartbeat failed", e);
        }
    }

    private void onConnected(Connection c) {
        connections.put(c.remotePeer(), c);
        outbound.remove(c.remotePeer());
        router.connected(c.remotePeer(), c.isOutbound(), c.remoteAddress().parts().get(0).value());
        drain();
    }

    private void onDisconnected(Connection c) {
        if (connections.get(c.remotePeer()) != c) {
            return; // an older connection closing after its replacement came up
        }
        connections.remove(c.remotePeer());
        outbound.remove(c.remotePeer());
        router.disconnected(c.remotePeer());
        drain();
    }

    private StreamHandler onInboundStream(Connection conn, YamuxStream stream) {
        PeerId from = conn.remotePeer();
        LengthPrefixedReader reader = new LengthPrefixedReader(cfg.maxRpcSize(), "gossipsub RPC");
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                try {
                    reader.feed(data, bytes -> router.rpc(from, bytes));
                } catch (FrameException e) {
                    reader.release();
                    s.reset();
                    router.frameError(from, e.getMessage());
                }
                drain();
            }

            @Override
            public void onRemoteClose(YamuxStream s) {
                reader.release();
                s.closeWrite();
            }

            @Override
            public void onReset(YamuxStream s) {
                reader.release();
            }
        };
    }

    // ---------------------------------------------------------------- router outputs

    /** Executes the router's outputs until it has none. */
    private void drain() {
        GossipRouter.Output o;
        while ((o = router.poll()) != null) {
            switch (o) {
                case GossipRouter.Send s -> send(s);
                case GossipRouter.OpenStream os -> openOutbound(os.peer(), V12);
                case GossipRouter.Deliver d -> deliver(d);
                case GossipRouter.PeerSubscribed ps -> {
                    List<CompletableFuture<Void>> w = topicWaiters.remove(ps.topic());
                    if (w != null) {
                        w.forEach(f -> f.complete(null));
                    }
                }
                case GossipRouter.Dial dial -> dial(dial);
                case GossipRouter.Rejected r ->
                        LOG.debug(
                                "gossipsub: refused from {} on {}: {}",
                                r.peer(),
                                r.topic(),
                                r.reason());
                case GossipRouter.Disconnect dc -> {
                    LOG.info("gossipsub: disconnecting {}: {}", dc.peer(), dc.reason());
                    Connection c = connections.get(dc.peer());
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    private void send(GossipRouter.Send s) {
        YamuxStream out = outbound.get(s.peer());
        if (out == null || !out.isOpen()) {
            outbound.remove(s.peer());
            router.sendFailed(s.peer(), s.rpc());
            return;
        }
        out.write(LengthPrefixedReader.frame(s.rpc()));
        if (s.urgent()) {
            out.flushNow();
        }
    }

    private void deliver(GossipRouter.Deliver d) {
        MessageListener l = listeners.get(d.message().topic());
        if (l != null) {
            try {
                l.onMessage(d.message(), d.from());
            } catch (RuntimeException e) {
                LOG.warn("gossipsub listener for {} failed", d.message().topic(), e);
            }
        }
    }

    /**
     * Dials a peer-exchange peer: at the addresses of its signed record when it came with one (in
     * turn until one connects), else at the first listen address identify told us.
     */
    private void dial(GossipRouter.Dial d) {
        List<io.ipdm.mesh.multiaddr.Multiaddr> addrs = d.addresses();
        if (addrs.isEmpty() && identify != null) {
            IdentifyInfo info = identify.info(d.peer());
            if (info != null && !info.listenAddrs().isEmpty()) {
                addrs = List.of(info.listenAddrs().get(0));
            }
        }
        dialInTurn(d.peer(), addrs, 0);
    }

    private void dialInTurn(PeerId peer, List<io.ipdm.mesh.multiaddr.Multiaddr> addrs, int i) {
        if (i >= addrs.size()) {
            return;
        }
        host.dial(addrs.get(i).withPeerId(peer))
                .whenComplete(
                        (c, e) -> {
                            if (e != null) {
                                LOG.debug(
                                        "peer exchange: {} unreachable at {}: {}",
                                        peer,
                                        addrs.get(i),
                                        e.toString());
                                dialInTurn(peer, addrs, i + 1);
                            }
                        });
    }

    /** Negotiates {@code protocol}, falling back to older meshsub versions. */
    private void openOutbound(PeerId peer, String protocol) {
        Connection conn = connections.get(peer);
        if (conn == null) {
            return;
        }
        conn.newStream(protocol, (s, data) -> {})
                .whenComplete(
                        (s, e) ->
                                host.eventLoop()
                                        .execute(() -> outboundResult(peer, conn, protocol, s, e)));
    }

    private void outboundResult(
            PeerId peer, Connection conn, String protocol, YamuxStream s, Throwable e) {
        if (connections.get(peer) != conn) {
            if (s != null) {
                s.reset(); // the peer reconnected meanwhile; the new connection has its own
            }
            return;
        }
        if (e != null) {
            String older = protocol.equals(V12) ? V11 : protocol.equals(V11) ? V10 : null;
            if (older != null && conn.isOpen()) {
                openOutbound(peer, older);
            } else {
                router.outboundStreamFailed(peer);
                drain();
            }
            return;
        }
        outbound.put(peer, s);
        s.setHandler(
                new StreamHandler() {
                    @Override
                    public void onData(YamuxStream st, ByteBuf d) {}

                    @Override
                    public void onReset(YamuxStream st) {
                        if (outbound.get(peer) == st) {
                            outbound.remove(peer);
                            router.outboundStreamClosed(peer);
                        }
                    }
                });
        router.outboundStreamOpened(peer, protocol.equals(V12));
        drain();
    }
}
