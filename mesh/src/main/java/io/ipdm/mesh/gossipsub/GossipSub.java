package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.protobuf.ProtobufException;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gossipsub v1.2 router ({@value #V12}, also speaking {@value #V11} and {@value #V10}) with
 * StrictSign, flood publishing, IHAVE/IWANT gossip, IDONTWANT, PRUNE with peer exchange and
 * backoff, and peer scoring with graylisting.
 *
 * <p>Threading: all router state lives on the host's event loop; public methods hop onto it.
 */
public final class GossipSub {
    public static final String V12 = "/meshsub/1.2.0";
    public static final String V11 = "/meshsub/1.1.0";
    public static final String V10 = "/meshsub/1.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(GossipSub.class);

    /**
     * Messages at least this large get an IDONTWANT to the mesh (the spec leaves the policy open).
     * Below it the extra control frames cost more than the duplicates they save: on the 10-node
     * loopback bench 1 KiB messages took more CPU per message with IDONTWANT than without.
     */
    static final int IDONTWANT_MIN_SIZE = 16 * 1024;

    /** IDONTWANT ids accepted per peer and heartbeat; more are ignored. */
    static final int MAX_IDONTWANT_IDS = 5000;

    /** Heartbeats an IDONTWANT is remembered for. */
    static final int IDONTWANT_HEARTBEATS = 3;

    private final Host host;
    private final Identify identify;
    private final GossipConfig cfg;
    private final ScoreParams scoreParams;
    private final LongSupplier clock = System::nanoTime;
    private final Random random = new Random();
    private final PeerScore score;
    private final Map<PeerId, PeerState> peers = new HashMap<>();
    private final Map<String, MessageListener> subscriptions = new LinkedHashMap<>();
    private final Map<String, Predicate<PubSubMessage>> validators = new HashMap<>();
    private final Map<String, Set<PeerId>> mesh = new HashMap<>();
    private final Map<String, Set<PeerId>> fanout = new HashMap<>();
    private final Map<String, Long> fanoutLastPublish = new HashMap<>();
    private final Map<PeerId, Map<String, Long>> backoff = new HashMap<>();
    private final SeenCache seen;
    private final MessageCache mcache;
    private long seqno = System.currentTimeMillis() * 1_000_000L;
    private ScheduledFuture<?> heartbeat;
    private long heartbeats;

    private long published;
    private long delivered;
    private long duplicates;
    private long invalid;
    private long forwarded;
    private long graylistedRpcs;
    private long malformedRpcs;

    /** What we know about one connected peer. */
    private final class PeerState {
        final PeerId id;
        Connection connection;
        YamuxStream out;
        boolean opening;
        boolean pubsub = true;

        /** The peer speaks v1.2 (our outbound stream negotiated it). */
        boolean idontwant;

        /** Ids the peer told us not to send, with the heartbeat they arrived in. */
        final Map<MessageId, Long> dontSend = new LinkedHashMap<>();

        int idontwantIds;
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        final Set<String> topics = new HashSet<>();
        int ihaveMessages;
        int iasked;

        PeerState(PeerId id, Connection connection) {
            this.id = id;
            this.connection = connection;
        }
    }

    private GossipSub(Host host, Identify identify, GossipConfig cfg, ScoreParams scoreParams) {
        this.host = host;
        this.identify = identify;
        this.cfg = cfg;
        this.scoreParams = scoreParams;
        this.score = new PeerScore(scoreParams, clock);
        this.seen = new SeenCache(cfg.seenTtl().toNanos(), 1_000_000);
        this.mcache = new MessageCache(cfg.mcacheLength(), cfg.mcacheGossip());
    }

    /**
     * Installs the router on {@code host}: serves the meshsub protocols, opens a stream to every
     * connected peer and starts the heartbeat. {@code identify} (may be null) supplies addresses
     * for peer exchange.
     */
    public static GossipSub install(
            Host host, Identify identify, GossipConfig cfg, ScoreParams scoreParams) {
        GossipSub g = new GossipSub(host, identify, cfg, scoreParams);
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
                                                    g::heartbeatSafely,
                                                    ms,
                                                    ms,
                                                    TimeUnit.MILLISECONDS);
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
        host.onLoop(
                        () -> {
                            if (subscriptions.put(topic, listener) == null) {
                                Rpc rpc = new Rpc();
                                rpc.subscriptions.add(new Rpc.SubOpts(true, topic));
                                for (PeerState p : peers.values()) {
                                    send(p, rpc);
                                }
                                join(topic);
                            }
                            return null;
                        })
                .join();
    }

    public void unsubscribe(String topic) {
        host.onLoop(
                        () -> {
                            if (subscriptions.remove(topic) != null) {
                                Rpc rpc = new Rpc();
                                rpc.subscriptions.add(new Rpc.SubOpts(false, topic));
                                for (PeerState p : peers.values()) {
                                    send(p, rpc);
                                }
                                leave(topic);
                            }
                            return null;
                        })
                .join();
    }

    /**
     * Messages of {@code topic} failing {@code validator} are dropped and count as invalid (P4) for
     * the sender.
     */
    public void setValidator(String topic, Predicate<PubSubMessage> validator) {
        host.onLoop(() -> validators.put(topic, validator)).join();
    }

    /**
     * Signs and publishes {@code data}; completes with the message id once sent to the chosen
     * peers.
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
        return host.onLoop(() -> publishOnLoop(topic, data));
    }

    public GossipMetrics metrics() {
        return host.onLoop(
                        () -> {
                            Map<String, Integer> sizes = new TreeMap<>();
                            mesh.forEach((t, s) -> sizes.put(t, s.size()));
                            Map<String, Double> scores = new TreeMap<>();
                            for (PeerId p : peers.keySet()) {
                                scores.put(p.toBase58(), score.score(p));
                            }
                            return new GossipMetrics(
                                    peers.size(),
                                    sizes,
                                    published,
                                    delivered,
                                    duplicates,
                                    invalid,
                                    forwarded,
                                    graylistedRpcs,
                                    malformedRpcs,
                                    scores);
                        })
                .join();
    }

    /** The peers in our mesh for {@code topic}. */
    public Set<PeerId> meshPeers(String topic) {
        return host.onLoop(() -> Set.copyOf(mesh.getOrDefault(topic, Set.of()))).join();
    }

    /** Connected peers that told us they subscribe to {@code topic}. */
    public Set<PeerId> topicPeers(String topic) {
        return host.onLoop(
                        () -> {
                            Set<PeerId> s = new HashSet<>();
                            for (PeerState p : peers.values()) {
                                if (p.topics.contains(topic)) {
                                    s.add(p.id);
                                }
                            }
                            return Set.copyOf(s);
                        })
                .join();
    }

    /**
     * Sets the application-specific part of {@code peer}'s score (P5, weighted by {@link
     * ScoreParams#appSpecificWeight()}); 0 clears it.
     */
    public void setApplicationScore(PeerId peer, double value) {
        host.onLoop(
                        () -> {
                            score.setAppScore(peer, value);
                            return null;
                        })
                .join();
    }

    public double score(PeerId peer) {
        return host.onLoop(() -> score.score(peer)).join();
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

    // ---------------------------------------------------------------- connections and streams

    private void onConnected(Connection c) {
        score.setIp(c.remotePeer(), c.remoteAddress().parts().get(0).value());
        PeerState p = peers.get(c.remotePeer());
        if (p == null) {
            p = new PeerState(c.remotePeer(), c);
            peers.put(c.remotePeer(), p);
        } else {
            p.connection = c;
            p.out = null;
        }
        openOutbound(p, V12);
    }

    private void openOutbound(PeerState p, String protocol) {
        if (p.opening || p.out != null) {
            return;
        }
        p.opening = true;
        Connection conn = p.connection;
        conn.newStream(protocol, (s, data) -> {})
                .whenComplete(
                        (s, e) ->
                                host.eventLoop()
                                        .execute(
                                                () -> {
                                                    p.opening = false;
                                                    if (peers.get(p.id) != p
                                                            || conn != p.connection) {
                                                        if (s != null) {
                                                            s.reset();
                                                        }
                                                        return;
                                                    }
                                                    if (e != null) {
                                                        String older =
                                                                protocol.equals(V12)
                                                                        ? V11
                                                                        : protocol.equals(V11)
                                                                                ? V10
                                                                                : null;
                                                        if (older != null && conn.isOpen()) {
                                                            openOutbound(p, older);
                                                        } else {
                                                            p.pubsub = false;
                                                            p.queue.clear();
                                                        }
                                                        return;
                                                    }
                                                    p.out = s;
                                                    p.idontwant = protocol.equals(V12);
                                                    s.setHandler(
                                                            new StreamHandler() {
                                                                @Override
                                                                public void onData(
                                                                        YamuxStream st,
                                                                        ByteBuf d) {}

                                                                @Override
                                                                public void onReset(
                                                                        YamuxStream st) {
                                                                    if (p.out == st) {
                                                                        p.out = null;
                                                                    }
                                                                }
                                                            });
                                                    sendHello(p);
                                                    while (!p.queue.isEmpty()) {
                                                        s.write(
                                                                LengthPrefixedReader.frame(
                                                                        p.queue.poll()));
                                                    }
                                                }));
    }

    private void sendHello(PeerState p) {
        if (subscriptions.isEmpty()) {
            return;
        }
        Rpc rpc = new Rpc();
        for (String t : subscriptions.keySet()) {
            rpc.subscriptions.add(new Rpc.SubOpts(true, t));
        }
        p.out.write(LengthPrefixedReader.frame(rpc.encode()));
    }

    private void onDisconnected(Connection c) {
        PeerState p = peers.get(c.remotePeer());
        if (p == null || p.connection != c) {
            return;
        }
        peers.remove(c.remotePeer());
        score.setIp(c.remotePeer(), null);
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            if (e.getValue().remove(p.id)) {
                score.prune(p.id, e.getKey());
            }
        }
        for (Set<PeerId> f : fanout.values()) {
            f.remove(p.id);
        }
    }

    private StreamHandler onInboundStream(Connection conn, YamuxStream stream) {
        PeerId from = conn.remotePeer();
        LengthPrefixedReader reader = new LengthPrefixedReader(cfg.maxRpcSize(), "gossipsub RPC");
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                try {
                    reader.feed(data, bytes -> handleRpcBytes(from, bytes));
                } catch (FrameException e) {
                    malformedRpcs++;
                    protocolViolation(from, conn, e.getMessage());
                    reader.release();
                    s.reset();
                }
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

    /** Penalises a peer that broke the wire protocol and disconnects it. */
    private void protocolViolation(PeerId peer, Connection conn, String reason) {
        LOG.info("gossipsub: disconnecting {} for a protocol violation: {}", peer, reason);
        score.behaviourPenalty(peer, 10);
        conn.close();
    }

    // ---------------------------------------------------------------- inbound RPCs

    private void handleRpcBytes(PeerId from, byte[] bytes) {
        PeerState p = peers.get(from);
        if (p == null) {
            return;
        }
        if (score.score(from) < scoreParams.graylistThreshold()) {
            graylistedRpcs++;
            return;
        }
        Rpc rpc;
        try {
            rpc = Rpc.decode(bytes, cfg.rpcLimits());
        } catch (GossipException | ProtobufException e) {
            malformedRpcs++;
            LOG.debug("gossipsub: malformed RPC from {}: {}", from, e.getMessage());
            score.behaviourPenalty(from, 1);
            return;
        }
        for (Rpc.SubOpts s : rpc.subscriptions) {
            if (s.subscribe()) {
                p.topics.add(s.topic());
            } else {
                p.topics.remove(s.topic());
                Set<PeerId> m = mesh.get(s.topic());
                if (m != null && m.remove(from)) {
                    score.prune(from, s.topic());
                }
                Set<PeerId> f = fanout.get(s.topic());
                if (f != null) {
                    f.remove(from);
                }
            }
        }
        for (byte[] m : rpc.publish) {
            handleMessage(p, m);
        }
        if (rpc.hasControl()) {
            handleControl(p, rpc);
        }
    }

    private void handleMessage(PeerState p, byte[] encoded) {
        PubSubMessage m;
        try {
            m = PubSubMessage.decode(encoded);
        } catch (GossipException | ProtobufException e) {
            invalid++;
            score.behaviourPenalty(p.id, 1);
            return;
        }
        if (!subscriptions.containsKey(m.topic())) {
            return; // not ours to validate or forward
        }
        MessageId id;
        try {
            id = m.id();
        } catch (GossipException e) {
            rejectInvalid(p, m, e.getMessage());
            return;
        }
        if (seen.contains(id)) {
            duplicates++;
            score.duplicateDelivery(p.id, m.topic(), seen.firstSeen(id));
            return;
        }
        if (encoded.length > cfg.maxMessageSize() + 1024) {
            rejectInvalid(p, m, "message of " + encoded.length + " bytes exceeds the size limit");
            return;
        }
        if (encoded.length >= IDONTWANT_MIN_SIZE) {
            sendIDontWant(m, p.id);
        }
        try {
            m.verify();
        } catch (GossipException e) {
            rejectInvalid(p, m, e.getMessage());
            return;
        }
        Predicate<PubSubMessage> v = validators.get(m.topic());
        if (v != null && !v.test(m)) {
            rejectInvalid(p, m, "rejected by the topic validator");
            return;
        }
        seen.add(id, clock.getAsLong());
        mcache.put(m);
        score.firstDelivery(p.id, m.topic());
        delivered++;
        MessageListener l = subscriptions.get(m.topic());
        if (l != null) {
            try {
                l.onMessage(m, p.id);
            } catch (RuntimeException e) {
                LOG.warn("gossipsub listener for {} failed", m.topic(), e);
            }
        }
        forward(m, p.id);
    }

    /**
     * Tells our other mesh peers of the topic that speak v1.2 not to send us {@code m}, flushed at
     * once: it is worth something only if it arrives before they forward their copy.
     */
    private void sendIDontWant(PubSubMessage m, PeerId source) {
        Set<PeerId> targets = mesh.get(m.topic());
        if (targets == null) {
            return;
        }
        byte[] rpc = null;
        for (PeerId t : targets) {
            PeerState ps = peers.get(t);
            if (t.equals(source) || ps == null || !ps.idontwant || ps.out == null) {
                continue;
            }
            if (rpc == null) {
                Rpc r = new Rpc();
                r.idontwant.add(m.id());
                rpc = r.encode();
            }
            sendRaw(ps, rpc);
            ps.out.flushNow();
        }
    }

    private void rejectInvalid(PeerState p, PubSubMessage m, String reason) {
        invalid++;
        LOG.debug("gossipsub: invalid message from {} on {}: {}", p.id, m.topic(), reason);
        score.invalidMessage(p.id, m.topic());
    }

    private void forward(PubSubMessage m, PeerId source) {
        Set<PeerId> targets = mesh.get(m.topic());
        if (targets == null) {
            return;
        }
        byte[] rpc = publishRpc(m);
        for (PeerId t : targets) {
            if (t.equals(source) || t.equals(m.author())) {
                continue;
            }
            PeerState ps = peers.get(t);
            if (ps != null && !ps.dontSend.containsKey(m.id())) {
                sendRaw(ps, rpc);
                forwarded++;
            }
        }
    }

    private static byte[] publishRpc(PubSubMessage m) {
        Rpc rpc = new Rpc();
        rpc.publish.add(m.encoded());
        return rpc.encode();
    }

    private void handleControl(PeerState p, Rpc rpc) {
        double s = score.score(p.id);
        Rpc reply = new Rpc();
        if (s >= scoreParams.gossipThreshold()) {
            handleIHave(p, rpc, reply);
            handleIWant(p, rpc);
        }
        for (String topic : rpc.graft) {
            handleGraft(p, topic, s, reply);
        }
        for (Rpc.Prune pr : rpc.prune) {
            handlePrune(p, pr, s);
        }
        for (MessageId id : rpc.idontwant) {
            if (++p.idontwantIds > MAX_IDONTWANT_IDS) {
                break;
            }
            p.dontSend.put(id, heartbeats);
        }
        if (!reply.isEmpty()) {
            send(p, reply);
        }
    }

    private void handleIHave(PeerState p, Rpc rpc, Rpc reply) {
        if (rpc.ihave.isEmpty()) {
            return;
        }
        if (++p.ihaveMessages > cfg.maxIHaveMessages() || p.iasked >= cfg.maxIHaveLength()) {
            return;
        }
        for (Rpc.IHave h : rpc.ihave) {
            if (!subscriptions.containsKey(h.topic())) {
                continue;
            }
            for (MessageId id : h.ids()) {
                if (p.iasked >= cfg.maxIHaveLength()) {
                    break;
                }
                if (!seen.contains(id)) {
                    reply.iwant.add(id);
                    p.iasked++;
                }
            }
        }
    }

    private void handleIWant(PeerState p, Rpc rpc) {
        if (rpc.iwant.isEmpty()) {
            return;
        }
        Rpc out = new Rpc();
        for (MessageId id : rpc.iwant) {
            PubSubMessage m = mcache.getForPeer(id, p.id, cfg.maxIWantRetransmits());
            if (m != null) {
                out.publish.add(m.encoded());
            }
        }
        if (!out.isEmpty()) {
            send(p, out);
        }
    }

    private void handleGraft(PeerState p, String topic, double s, Rpc reply) {
        Set<PeerId> m = mesh.get(topic);
        if (m == null) {
            // Not subscribed: refuse without backoff penalty (spec: PRUNE).
            reply.prune.add(new Rpc.Prune(topic, List.of(), 0));
            return;
        }
        if (m.contains(p.id)) {
            return;
        }
        if (inBackoff(p.id, topic)) {
            // Grafting during backoff is misbehaviour (P7), and the backoff is refreshed.
            score.behaviourPenalty(p.id, 1);
            addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            reply.prune.add(pruneFor(p.id, topic, false));
            return;
        }
        if (s < 0) {
            reply.prune.add(pruneFor(p.id, topic, false));
            addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            return;
        }
        if (m.size() >= cfg.dHi() && !p.connection.isOutbound()) {
            reply.prune.add(pruneFor(p.id, topic, true));
            addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            return;
        }
        m.add(p.id);
        p.topics.add(topic);
        score.graft(p.id, topic);
    }

    private void handlePrune(PeerState p, Rpc.Prune pr, double s) {
        Set<PeerId> m = mesh.get(pr.topic());
        if (m != null && m.remove(p.id)) {
            score.prune(p.id, pr.topic());
        }
        long b =
                pr.backoffSeconds() > 0
                        ? TimeUnit.SECONDS.toNanos(pr.backoffSeconds())
                        : cfg.pruneBackoff().toNanos();
        addBackoff(p.id, pr.topic(), b);
        if (!pr.peers().isEmpty() && s >= scoreParams.acceptPxThreshold() && identify != null) {
            int dialed = 0;
            for (byte[] raw : pr.peers()) {
                if (dialed >= cfg.prunePeers()) {
                    break;
                }
                PeerId px;
                try {
                    px = PeerId.fromBytes(raw);
                } catch (IdentityException e) {
                    continue;
                }
                if (peers.containsKey(px) || px.equals(host.peerId())) {
                    continue;
                }
                IdentifyInfo info = identify.info(px);
                if (info != null && !info.listenAddrs().isEmpty()) {
                    Multiaddr a = info.listenAddrs().get(0).withPeerId(px);
                    host.dial(a);
                    dialed++;
                }
            }
        }
    }

    private Rpc.Prune pruneFor(PeerId peer, String topic, boolean px) {
        List<byte[]> exchange = new ArrayList<>();
        if (px) {
            List<PeerId> candidates = new ArrayList<>();
            for (PeerState o : peers.values()) {
                if (!o.id.equals(peer) && o.topics.contains(topic) && score.score(o.id) >= 0) {
                    candidates.add(o.id);
                }
            }
            Collections.shuffle(candidates, random);
            for (PeerId c : candidates.subList(0, Math.min(cfg.prunePeers(), candidates.size()))) {
                exchange.add(c.toBytes());
            }
        }
        return new Rpc.Prune(topic, exchange, cfg.pruneBackoff().toSeconds());
    }

    private boolean inBackoff(PeerId peer, String topic) {
        Map<String, Long> b = backoff.get(peer);
        Long until = b == null ? null : b.get(topic);
        return until != null && until > clock.getAsLong();
    }

    private void addBackoff(PeerId peer, String topic, long nanos) {
        long until = clock.getAsLong() + nanos;
        backoff.computeIfAbsent(peer, k -> new HashMap<>()).merge(topic, until, Math::max);
    }

    // ---------------------------------------------------------------- publishing, join and leave

    private MessageId publishOnLoop(String topic, byte[] data) {
        PubSubMessage m = PubSubMessage.sign(host.identity(), topic, data, ++seqno);
        seen.add(m.id(), clock.getAsLong());
        mcache.put(m);
        published++;
        Set<PeerId> targets = new HashSet<>();
        if (cfg.floodPublish()) {
            for (PeerState p : peers.values()) {
                if (p.topics.contains(topic)
                        && score.score(p.id) >= scoreParams.publishThreshold()) {
                    targets.add(p.id);
                }
            }
        } else if (mesh.containsKey(topic)) {
            targets.addAll(mesh.get(topic));
        } else {
            Set<PeerId> f = fanout.computeIfAbsent(topic, t -> new HashSet<>());
            if (f.isEmpty()) {
                f.addAll(
                        pick(
                                topic,
                                cfg.d(),
                                id -> score.score(id) >= scoreParams.publishThreshold()));
            }
            targets.addAll(f);
            fanoutLastPublish.put(topic, clock.getAsLong());
        }
        byte[] rpc = publishRpc(m);
        for (PeerId t : targets) {
            sendRaw(peers.get(t), rpc);
        }
        return m.id();
    }

    private void join(String topic) {
        Set<PeerId> m = new HashSet<>();
        Set<PeerId> f = fanout.remove(topic);
        fanoutLastPublish.remove(topic);
        if (f != null) {
            for (PeerId p : f) {
                if (score.score(p) >= 0 && peers.containsKey(p)) {
                    m.add(p);
                }
            }
        }
        mesh.put(topic, m);
        if (m.size() < cfg.d()) {
            m.addAll(pick(topic, cfg.d() - m.size(), id -> !m.contains(id) && canGraft(id, topic)));
        }
        for (PeerId p : m) {
            score.graft(p, topic);
            Rpc rpc = new Rpc();
            rpc.graft.add(topic);
            send(peers.get(p), rpc);
        }
    }

    private void leave(String topic) {
        Set<PeerId> m = mesh.remove(topic);
        if (m == null) {
            return;
        }
        for (PeerId p : m) {
            score.prune(p, topic);
            Rpc rpc = new Rpc();
            rpc.prune.add(new Rpc.Prune(topic, List.of(), cfg.unsubscribeBackoff().toSeconds()));
            PeerState ps = peers.get(p);
            if (ps != null) {
                send(ps, rpc);
            }
            addBackoff(p, topic, cfg.unsubscribeBackoff().toNanos());
        }
    }

    private boolean canGraft(PeerId id, String topic) {
        return !inBackoff(id, topic) && score.score(id) >= 0;
    }

    /**
     * Up to {@code n} random connected pubsub peers subscribed to {@code topic} that pass {@code
     * filter}.
     */
    private List<PeerId> pick(String topic, int n, Predicate<PeerId> filter) {
        List<PeerId> c = new ArrayList<>();
        for (PeerState p : peers.values()) {
            if (p.pubsub && p.topics.contains(topic) && filter.test(p.id)) {
                c.add(p.id);
            }
        }
        Collections.shuffle(c, random);
        return c.size() > n ? new ArrayList<>(c.subList(0, n)) : c;
    }

    // ---------------------------------------------------------------- sending

    private void send(PeerState p, Rpc rpc) {
        if (p != null) {
            sendRaw(p, rpc.encode());
        }
    }

    private void sendRaw(PeerState p, byte[] rpc) {
        if (p == null || !p.pubsub) {
            return;
        }
        if (p.out != null && p.out.isOpen()) {
            p.out.write(LengthPrefixedReader.frame(rpc));
            return;
        }
        if (p.queue.size() >= cfg.maxPendingRpcs()) {
            p.queue.poll(); // a peer that cannot take our RPCs loses the oldest first
        }
        p.queue.add(rpc);
        if (p.out == null && !p.opening && p.connection.isOpen()) {
            openOutbound(p, V12);
        }
    }

    // ---------------------------------------------------------------- heartbeat

    private void heartbeatSafely() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("gossipsub heartbeat failed", e);
        }
    }

    void heartbeat() {
        heartbeats++;
        long now = clock.getAsLong();
        Map<PeerId, Rpc> control = new HashMap<>();
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            String topic = e.getKey();
            Set<PeerId> m = e.getValue();
            m.removeIf(
                    id -> {
                        boolean drop = !peers.containsKey(id) || score.score(id) < 0;
                        if (drop && peers.containsKey(id)) {
                            control.computeIfAbsent(id, k -> new Rpc())
                                    .prune
                                    .add(pruneFor(id, topic, false));
                            addBackoff(id, topic, cfg.pruneBackoff().toNanos());
                        }
                        if (drop) {
                            score.prune(id, topic);
                        }
                        return drop;
                    });
            if (m.size() < cfg.dLo()) {
                for (PeerId id :
                        pick(
                                topic,
                                cfg.d() - m.size(),
                                id -> !m.contains(id) && canGraft(id, topic))) {
                    m.add(id);
                    score.graft(id, topic);
                    control.computeIfAbsent(id, k -> new Rpc()).graft.add(topic);
                }
            }
            if (m.size() > cfg.dHi()) {
                List<PeerId> sorted = new ArrayList<>(m);
                Collections.shuffle(sorted, random);
                sorted.sort((a, b) -> Double.compare(score.score(b), score.score(a)));
                // Keep the D_score best, fill to D at random from the rest.
                List<PeerId> keep = new ArrayList<>(sorted.subList(0, cfg.dScore()));
                List<PeerId> rest = new ArrayList<>(sorted.subList(cfg.dScore(), sorted.size()));
                Collections.shuffle(rest, random);
                keep.addAll(rest.subList(0, cfg.d() - cfg.dScore()));
                for (PeerId id : sorted) {
                    if (!keep.contains(id)) {
                        m.remove(id);
                        score.prune(id, topic);
                        addBackoff(id, topic, cfg.pruneBackoff().toNanos());
                        control.computeIfAbsent(id, k -> new Rpc())
                                .prune
                                .add(pruneFor(id, topic, true));
                    }
                }
            }
            emitGossip(topic, m, control);
        }
        fanout.entrySet()
                .removeIf(
                        e -> {
                            Long last = fanoutLastPublish.get(e.getKey());
                            boolean expired =
                                    last == null || now - last > cfg.fanoutTtl().toNanos();
                            if (expired) {
                                fanoutLastPublish.remove(e.getKey());
                                return true;
                            }
                            Set<PeerId> f = e.getValue();
                            f.removeIf(
                                    id ->
                                            !peers.containsKey(id)
                                                    || score.score(id)
                                                            < scoreParams.publishThreshold()
                                                    || !peers.get(id).topics.contains(e.getKey()));
                            if (f.size() < cfg.d()) {
                                f.addAll(
                                        pick(
                                                e.getKey(),
                                                cfg.d() - f.size(),
                                                id ->
                                                        !f.contains(id)
                                                                && score.score(id)
                                                                        >= scoreParams
                                                                                .publishThreshold()));
                            }
                            emitGossip(e.getKey(), f, control);
                            return false;
                        });
        control.forEach((id, rpc) -> send(peers.get(id), rpc));
        for (PeerState p : peers.values()) {
            p.ihaveMessages = 0;
            p.iasked = 0;
            p.idontwantIds = 0;
            // Insertion order is arrival order: drop from the front while too old.
            Iterator<Long> it = p.dontSend.values().iterator();
            while (it.hasNext() && it.next() < heartbeats - IDONTWANT_HEARTBEATS) {
                it.remove();
            }
        }
        mcache.shift();
        seen.expire(now);
        backoff.values().forEach(b -> b.values().removeIf(until -> until < now));
        backoff.values().removeIf(Map::isEmpty);
        long decayEvery =
                Math.max(
                        1,
                        scoreParams.decayInterval().toNanos() / cfg.heartbeatInterval().toNanos());
        if (heartbeats % decayEvery == 0) {
            score.decay();
        }
    }

    private void emitGossip(String topic, Set<PeerId> exclude, Map<PeerId, Rpc> control) {
        List<MessageId> ids = mcache.gossipIds(topic);
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() > cfg.maxIHaveLength()) {
            Collections.shuffle(ids, random);
            ids = ids.subList(0, cfg.maxIHaveLength());
        }
        List<MessageId> advertised = List.copyOf(ids);
        for (PeerId id :
                pick(
                        topic,
                        cfg.dLazy(),
                        id ->
                                !exclude.contains(id)
                                        && score.score(id) >= scoreParams.gossipThreshold())) {
            control.computeIfAbsent(id, k -> new Rpc()).ihave.add(new Rpc.IHave(topic, advertised));
        }
    }
}
