package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The gossipsub v1.2 router as a state machine without sockets (as rust-libp2p's {@code
 * NetworkBehaviour} and quinn-proto are built): StrictSign, flood publishing, fanout, IHAVE/IWANT
 * gossip, IDONTWANT, GRAFT/PRUNE with peer exchange and backoff, D_score / D_out mesh maintenance,
 * opportunistic grafting, and peer scoring with graylisting.
 *
 * <p>It is fed peer events ({@link #connected}, {@link #disconnected}, {@link
 * #outboundStreamOpened}, {@link #outboundStreamFailed}, {@link #outboundStreamClosed}), inbound
 * RPC bytes ({@link #rpc}), framing errors ({@link #frameError}), the application's calls
 * (subscribe, publish, ...) and clock ticks ({@link #tick}, due at {@link #nextTimer()}); it
 * answers through {@link #poll()} with {@link Output}s: RPCs to send, outbound streams to open,
 * peers to dial or disconnect, messages to deliver and subscriptions seen. Time comes only from the
 * injected nanosecond clock and randomness only from the injected generator, so with a seeded
 * generator and a virtual clock a run is reproducible ({@code io.ipdm.mesh.sim} runs many routers
 * that way). {@link GossipSub} is the Netty adapter that executes the outputs over Yamux streams.
 *
 * <p>Not thread-safe: one thread feeds a router and drains its outputs.
 */
public final class GossipRouter {

    /** What the router asks its driver to do, in order. */
    public sealed interface Output
            permits Send, OpenStream, Dial, Disconnect, Deliver, PeerSubscribed, Rejected {}

    /**
     * Write {@code rpc} (one encoded RPC, unframed) on the outbound stream to {@code peer}; {@code
     * urgent} asks to flush now rather than at the end of the event-loop turn (IDONTWANT is worth
     * something only if it beats the duplicate). If the stream is gone, call {@link #sendFailed}.
     */
    public record Send(PeerId peer, byte[] rpc, boolean urgent) implements Output {}

    /**
     * Open an outbound meshsub stream to the connected {@code peer} (v1.2, else v1.1, else v1.0)
     * and report the result with {@link #outboundStreamOpened} or {@link #outboundStreamFailed}.
     */
    public record OpenStream(PeerId peer) implements Output {}

    /**
     * Dial {@code peer}, learnt from peer exchange: at {@code addresses} (from its signed peer
     * record, verified) or, when empty, at an address the adapter knows.
     */
    public record Dial(PeerId peer, List<io.ipdm.mesh.multiaddr.Multiaddr> addresses)
            implements Output {
        public Dial {
            addresses = List.copyOf(addresses);
        }

        public Dial(PeerId peer) {
            this(peer, List.of());
        }
    }

    /** Close the connection to {@code peer}, which broke the wire protocol. */
    public record Disconnect(PeerId peer, String reason) implements Output {}

    /** A valid new message of a subscribed topic (never our own), received from {@code from}. */
    public record Deliver(PubSubMessage message, PeerId from) implements Output {}

    /** {@code peer} announced a subscription to {@code topic}. */
    public record PeerSubscribed(PeerId peer, String topic) implements Output {}

    /**
     * An RPC or message from {@code peer} was refused and penalised; {@code topic} is null for a
     * malformed RPC. For logs: the counters are in {@link #metrics()}.
     */
    public record Rejected(PeerId peer, String topic, String reason) implements Output {}

    /** What we know about one connected peer. */
    static final class Peer {
        final PeerId id;
        boolean outbound;
        boolean streamOpen;
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

        Peer(PeerId id, boolean outbound) {
            this.id = id;
            this.outbound = outbound;
        }
    }

    private final Ed25519KeyPair identity;
    final PeerId self;
    final GossipConfig cfg;
    final ScoreParams scoreParams;
    final LongSupplier clock;
    final RandomGenerator random;
    final PeerScore score;
    final ArrayDeque<Output> outputs = new ArrayDeque<>();
    final Map<PeerId, Peer> peers = new LinkedHashMap<>();
    final Set<String> subscriptions = new LinkedHashSet<>();
    private final Map<String, Function<PubSubMessage, Validation>> validators = new HashMap<>();
    final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
    final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
    final Map<String, Long> fanoutLastPublish = new HashMap<>();
    final Map<PeerId, Map<String, Long>> backoff = new HashMap<>();

    /**
     * Signed peer records (envelopes) we hold, the highest sequence number per peer: offered with
     * the peer in our PRUNEs' peer exchange. Learnt from the adapter (identify) and from peer
     * exchange; the least recently learnt are dropped beyond {@link #MAX_PEER_RECORDS}.
     */
    final Map<PeerId, SignedPeer> peerRecords = new LinkedHashMap<>(16, 0.75f, true);

    static final int MAX_PEER_RECORDS = 4096;

    record SignedPeer(io.ipdm.mesh.identity.PeerRecord record, byte[] envelope) {}

    /**
     * Gossip promises: for each IWANT we sent, one of its ids (chosen at random, as a peer cannot
     * tell which) with the peer that advertised it and the deadline for its delivery.
     */
    final Map<MessageId, Map<PeerId, Long>> promises = new LinkedHashMap<>();

    final SeenCache seen;
    final MessageCache mcache;
    private long seqno;
    long heartbeats;
    private long nextHeartbeat;

    private long published;
    private long delivered;
    private long duplicates;
    private long invalid;
    private long forwarded;
    private long graylistedRpcs;
    private long malformedRpcs;
    private long idontwantSent;
    long idontwantReceived;
    long brokenPromises;

    private final ControlHandler control;
    private final MeshMaintenance maintenance;

    /**
     * @param identity signs our messages
     * @param nanoClock the only source of time (monotonic nanoseconds)
     * @param random the only source of randomness (peer selection, gossip sampling)
     * @param firstSeqno the sequence number before our first message's (a node that restarts must
     *     not reuse one: the adapter starts from wall-clock time)
     */
    public GossipRouter(
            Ed25519KeyPair identity,
            GossipConfig cfg,
            ScoreParams scoreParams,
            LongSupplier nanoClock,
            RandomGenerator random,
            long firstSeqno) {
        this.identity = identity;
        this.self = identity.peerId();
        this.cfg = cfg;
        this.scoreParams = scoreParams;
        this.clock = nanoClock;
        this.random = random;
        this.seqno = firstSeqno;
        this.score = new PeerScore(scoreParams, clock);
        this.seen = new SeenCache(cfg.seenTtl().toNanos(), 1_000_000);
        this.mcache = new MessageCache(cfg.mcacheLength(), cfg.mcacheGossip());
        this.nextHeartbeat = clock.getAsLong() + cfg.heartbeatInterval().toNanos();
        this.control = new ControlHandler(this);
        this.maintenance = new MeshMaintenance(this, control);
    }

    public PeerId peerId() {
        return self;
    }

    public GossipConfig config() {
        return cfg;
    }

    /** The next output to execute, or null when there is none. */
    public Output poll() {
        return outputs.poll();
    }

    /** When {@link #tick()} has work next (clock nanoseconds). */
    public long nextTimer() {
        return nextHeartbeat;
    }

    /** Runs the heartbeat if it is due (at most one per call, so a stalled driver cannot spin). */
    public void tick() {
        long now = clock.getAsLong();
        if (now >= nextHeartbeat) {
            nextHeartbeat = Math.max(nextHeartbeat + cfg.heartbeatInterval().toNanos(), now);
            heartbeat();
        }
    }

    // ---------------------------------------------------------------- application calls

    /** Subscribes to {@code topic}; false if already subscribed. */
    public boolean subscribe(String topic) {
        if (!subscriptions.add(topic)) {
            return false;
        }
        Rpc rpc = new Rpc();
        rpc.subscriptions.add(new Rpc.SubOpts(true, topic));
        byte[] bytes = rpc.encode();
        for (Peer p : peers.values()) {
            sendRaw(p, bytes, false);
        }
        join(topic);
        return true;
    }

    /** Unsubscribes from {@code topic}; false if not subscribed. */
    public boolean unsubscribe(String topic) {
        if (!subscriptions.remove(topic)) {
            return false;
        }
        Rpc rpc = new Rpc();
        rpc.subscriptions.add(new Rpc.SubOpts(false, topic));
        byte[] bytes = rpc.encode();
        for (Peer p : peers.values()) {
            sendRaw(p, bytes, false);
        }
        leave(topic);
        return true;
    }

    public boolean isSubscribed(String topic) {
        return subscriptions.contains(topic);
    }

    /**
     * Messages of {@code topic} failing {@code validator} are dropped and count as invalid (P4) for
     * the sender. The validator runs on the router's thread and must not block.
     */
    public void setValidator(String topic, Predicate<PubSubMessage> validator) {
        validators.put(topic, m -> validator.test(m) ? Validation.ACCEPT : Validation.REJECT);
    }

    /**
     * As {@link #setValidator}, with a third verdict: {@link Validation#IGNORE} drops a message
     * without forwarding it and without penalizing the sender.
     */
    public void setValidation(String topic, Function<PubSubMessage, Validation> validator) {
        validators.put(topic, validator);
    }

    /**
     * Signs and publishes {@code data} to {@code topic}: to every subscribed peer above the publish
     * threshold with flood publishing, else to the mesh (subscribed) or the fanout (not
     * subscribed). Returns the message id.
     *
     * @throws GossipException if {@code data} exceeds the configured maximum message size
     */
    public MessageId publish(String topic, byte[] data) {
        if (data.length > cfg.maxMessageSize()) {
            throw new GossipException(
                    "message of "
                            + data.length
                            + " bytes exceeds maxMessageSize "
                            + cfg.maxMessageSize());
        }
        PubSubMessage m = PubSubMessage.sign(identity, topic, data, ++seqno);
        long now = clock.getAsLong();
        seen.add(m.id(), now);
        mcache.put(m);
        published++;
        Set<PeerId> targets = new LinkedHashSet<>();
        if (cfg.floodPublish()) {
            for (Peer p : peers.values()) {
                if (p.topics.contains(topic)
                        && score.score(p.id) >= scoreParams.publishThreshold()) {
                    targets.add(p.id);
                }
            }
        } else if (mesh.containsKey(topic)) {
            targets.addAll(mesh.get(topic));
        } else {
            Set<PeerId> f = fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
            if (f.isEmpty()) {
                f.addAll(
                        pick(
                                topic,
                                cfg.d(),
                                id -> score.score(id) >= scoreParams.publishThreshold()));
            }
            targets.addAll(f);
            fanoutLastPublish.put(topic, now);
        }
        byte[] rpc = publishRpc(m);
        for (PeerId t : targets) {
            sendRaw(peers.get(t), rpc, false);
        }
        return m.id();
    }

    /**
     * Sets the application-specific part of {@code peer}'s score (P5, weighted by {@link
     * ScoreParams#appSpecificWeight()}); 0 clears it.
     */
    public void setApplicationScore(PeerId peer, double value) {
        score.setAppScore(peer, value);
    }

    public double score(PeerId peer) {
        return score.score(peer);
    }

    /** The peers in our mesh for {@code topic}. */
    public Set<PeerId> meshPeers(String topic) {
        return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
    }

    /** The fanout peers of {@code topic} (a topic we publish to without subscribing). */
    public Set<PeerId> fanoutPeers(String topic) {
        return Set.copyOf(fanout.getOrDefault(topic, Set.of()));
    }

    /** Connected peers that told us they subscribe to {@code topic}. */
    public Set<PeerId> topicPeers(String topic) {
        Set<PeerId> s = new HashSet<>();
        for (Peer p : peers.values()) {
            if (p.topics.contains(topic)) {
                s.add(p.id);
            }
        }
        return Set.copyOf(s);
    }

    /** Connected peers. */
    public Set<PeerId> peers() {
        return Set.copyOf(peers.keySet());
    }

    /** IWANT promises that were not kept (each cost the advertising peer a P7 penalty). */
    public long brokenPromises() {
        return brokenPromises;
    }

    /** Whether {@code peer} is backed off from our mesh of {@code topic}. */
    public boolean inBackoff(PeerId peer, String topic) {
        Map<String, Long> b = backoff.get(peer);
        Long until = b == null ? null : b.get(topic);
        return until != null && until > clock.getAsLong();
    }

    public GossipMetrics metrics() {
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
                idontwantSent,
                idontwantReceived,
                scores);
    }

    // ---------------------------------------------------------------- peer and stream events

    /**
     * A connection to {@code peer} is up ({@code outbound}: we dialed it; {@code ip} feeds P6, may
     * be null). A second connection replaces the first: our outbound stream is opened again.
     */
    public void connected(PeerId peer, boolean outbound, String ip) {
        score.setIp(peer, ip);
        Peer p = peers.get(peer);
        if (p == null) {
            p = new Peer(peer, outbound);
            peers.put(peer, p);
        } else {
            p.outbound = outbound;
            p.streamOpen = false;
            p.opening = false;
        }
        openStream(p);
    }

    /** The connection to {@code peer} is gone. */
    public void disconnected(PeerId peer) {
        Peer p = peers.remove(peer);
        if (p == null) {
            return;
        }
        score.setIp(peer, null);
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            if (e.getValue().remove(peer)) {
                score.prune(peer, e.getKey());
            }
        }
        for (Set<PeerId> f : fanout.values()) {
            f.remove(peer);
        }
    }

    /**
     * Our outbound stream to {@code peer} is open; {@code v12} when it negotiated /meshsub/1.2.0
     * (the peer understands IDONTWANT). Sends our subscriptions, then what was queued.
     */
    public void outboundStreamOpened(PeerId peer, boolean v12) {
        Peer p = peers.get(peer);
        if (p == null) {
            return;
        }
        p.opening = false;
        p.streamOpen = true;
        p.idontwant = v12;
        if (!subscriptions.isEmpty()) {
            Rpc rpc = new Rpc();
            for (String t : subscriptions) {
                rpc.subscriptions.add(new Rpc.SubOpts(true, t));
            }
            outputs.add(new Send(p.id, rpc.encode(), false));
        }
        while (!p.queue.isEmpty()) {
            outputs.add(new Send(p.id, p.queue.poll(), false));
        }
    }

    /** No meshsub version could be negotiated with {@code peer}: it does not speak pubsub. */
    public void outboundStreamFailed(PeerId peer) {
        Peer p = peers.get(peer);
        if (p != null) {
            p.opening = false;
            p.pubsub = false;
            p.queue.clear();
        }
    }

    /** Our outbound stream to {@code peer} was closed or reset; the next send opens another. */
    public void outboundStreamClosed(PeerId peer) {
        Peer p = peers.get(peer);
        if (p != null) {
            p.streamOpen = false;
        }
    }

    /** A {@link Send} could not be written (the stream was gone): queue it for the next stream. */
    public void sendFailed(PeerId peer, byte[] rpc) {
        Peer p = peers.get(peer);
        if (p != null) {
            p.streamOpen = false;
            sendRaw(p, rpc, false);
        }
    }

    /**
     * {@code peer}'s inbound stream carried a frame we cannot accept (e.g. a length above the RPC
     * size limit): penalised and disconnected.
     */
    public void frameError(PeerId peer, String reason) {
        malformedRpcs++;
        score.behaviourPenalty(peer, 10);
        outputs.add(new Disconnect(peer, "gossipsub protocol violation: " + reason));
    }

    // ---------------------------------------------------------------- inbound RPCs

    /** One length-delimited RPC received from {@code from} on its inbound stream. */
    public void rpc(PeerId from, byte[] bytes) {
        Peer p = peers.get(from);
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
            score.behaviourPenalty(from, 1);
            outputs.add(new Rejected(from, null, "malformed RPC: " + e.getMessage()));
            return;
        }
        for (Rpc.SubOpts s : rpc.subscriptions) {
            if (s.subscribe()) {
                if (p.topics.add(s.topic())) {
                    outputs.add(new PeerSubscribed(from, s.topic()));
                }
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
            control.handle(p, rpc);
        }
    }

    private void handleMessage(Peer p, byte[] encoded) {
        PubSubMessage m;
        try {
            m = PubSubMessage.decode(encoded);
        } catch (GossipException | ProtobufException e) {
            invalid++;
            score.behaviourPenalty(p.id, 1);
            outputs.add(new Rejected(p.id, null, "malformed message: " + e.getMessage()));
            return;
        }
        if (!subscriptions.contains(m.topic())) {
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
            promises.remove(id);
            duplicates++;
            score.duplicateDelivery(p.id, m.topic(), seen.firstSeen(id));
            return;
        }
        if (encoded.length > cfg.maxMessageSize() + 1024) {
            rejectInvalid(
                    p,
                    m,
                    "message of "
                            + encoded.length
                            + " bytes exceeds maxMessageSize "
                            + cfg.maxMessageSize());
            return;
        }
        if (encoded.length >= cfg.idontwantMinSize()) {
            sendIDontWant(m, p.id);
        }
        try {
            m.verify();
        } catch (GossipException e) {
            rejectInvalid(p, m, e.getMessage());
            return;
        }
        Function<PubSubMessage, Validation> v = validators.get(m.topic());
        Validation verdict = v == null ? Validation.ACCEPT : v.apply(m);
        if (verdict == Validation.REJECT) {
            rejectInvalid(p, m, "rejected by the topic validator");
            return;
        }
        if (verdict == Validation.IGNORE) {
            seen.add(id, clock.getAsLong()); // not asked for again, not forwarded, no penalty
            promises.remove(id);
            return;
        }
        seen.add(id, clock.getAsLong());
        promises.remove(id);
        mcache.put(m);
        score.firstDelivery(p.id, m.topic());
        delivered++;
        outputs.add(new Deliver(m, p.id));
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
            Peer ps = peers.get(t);
            if (t.equals(source) || ps == null || !ps.idontwant || !ps.streamOpen) {
                continue;
            }
            if (rpc == null) {
                Rpc r = new Rpc();
                r.idontwant.add(m.id());
                rpc = r.encode();
            }
            sendRaw(ps, rpc, true);
            idontwantSent++;
        }
    }

    private void rejectInvalid(Peer p, PubSubMessage m, String reason) {
        invalid++;
        outputs.add(new Rejected(p.id, m.topic(), reason));
        score.invalidMessage(p.id, m.topic());
    }

    private void forward(PubSubMessage m, PeerId source) {
        Set<PeerId> targets = mesh.get(m.topic());
        if (targets == null) {
            return;
        }
        byte[] rpc = null;
        for (PeerId t : targets) {
            if (t.equals(source) || t.equals(m.author())) {
                continue;
            }
            Peer ps = peers.get(t);
            if (ps != null && !ps.dontSend.containsKey(m.id())) {
                if (rpc == null) {
                    rpc = publishRpc(m);
                }
                sendRaw(ps, rpc, false);
                forwarded++;
            }
        }
    }

    private static byte[] publishRpc(PubSubMessage m) {
        Rpc rpc = new Rpc();
        rpc.publish.add(m.encoded());
        return rpc.encode();
    }

    /**
     * A signed peer record (an envelope, e.g. from identify) to offer in peer exchange: verified
     * here; kept when its sequence number is higher than the one held. Returns the record, or null
     * when it does not verify.
     */
    public io.ipdm.mesh.identity.PeerRecord peerRecord(byte[] envelope) {
        io.ipdm.mesh.identity.PeerRecord rec;
        try {
            rec = io.ipdm.mesh.identity.PeerRecord.open(envelope);
        } catch (io.ipdm.mesh.identity.IdentityException e) {
            return null;
        }
        keepPeerRecord(rec, envelope);
        return rec;
    }

    void keepPeerRecord(io.ipdm.mesh.identity.PeerRecord rec, byte[] envelope) {
        SignedPeer held = peerRecords.get(rec.peer());
        if (held == null || held.record().seq() < rec.seq()) {
            peerRecords.put(rec.peer(), new SignedPeer(rec, envelope));
            if (peerRecords.size() > MAX_PEER_RECORDS) {
                peerRecords.remove(peerRecords.keySet().iterator().next());
            }
        }
    }

    /** The signed peer record held for {@code peer}, or null. */
    public io.ipdm.mesh.identity.PeerRecord peerRecordOf(PeerId peer) {
        SignedPeer sp = peerRecords.get(peer);
        return sp == null ? null : sp.record();
    }

    Rpc.Prune pruneFor(PeerId peer, String topic, boolean px) {
        List<Rpc.PxPeer> exchange = new ArrayList<>();
        if (px && cfg.prunePeers() > 0) {
            List<PeerId> candidates = new ArrayList<>();
            for (Peer o : peers.values()) {
                if (!o.id.equals(peer) && o.topics.contains(topic) && score.score(o.id) >= 0) {
                    candidates.add(o.id);
                }
            }
            Collections.shuffle(candidates, random);
            for (PeerId c : candidates.subList(0, Math.min(cfg.prunePeers(), candidates.size()))) {
                SignedPeer sp = peerRecords.get(c);
                exchange.add(new Rpc.PxPeer(c.toBytes(), sp == null ? null : sp.envelope()));
            }
        }
        return new Rpc.Prune(topic, exchange, cfg.pruneBackoff().toSeconds());
    }

    void addBackoff(PeerId peer, String topic, long nanos) {
        long until = clock.getAsLong() + nanos;
        backoff.computeIfAbsent(peer, k -> new HashMap<>()).merge(topic, until, Math::max);
    }

    // ---------------------------------------------------------------- join and leave

    private void join(String topic) {
        Set<PeerId> m = new LinkedHashSet<>();
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
        Rpc rpc = new Rpc();
        rpc.graft.add(topic);
        byte[] graft = rpc.encode();
        for (PeerId p : m) {
            score.graft(p, topic);
            sendRaw(peers.get(p), graft, false);
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
            sendRaw(peers.get(p), rpc.encode(), false);
            addBackoff(p, topic, cfg.unsubscribeBackoff().toNanos());
        }
    }

    boolean canGraft(PeerId id, String topic) {
        return !inBackoff(id, topic) && score.score(id) >= 0;
    }

    /**
     * Up to {@code n} random connected pubsub peers subscribed to {@code topic} that pass {@code
     * filter}.
     */
    List<PeerId> pick(String topic, int n, Predicate<PeerId> filter) {
        List<PeerId> c = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.pubsub && p.topics.contains(topic) && filter.test(p.id)) {
                c.add(p.id);
            }
        }
        Collections.shuffle(c, random);
        return c.size() > n ? new ArrayList<>(c.subList(0, n)) : c;
    }

    // ---------------------------------------------------------------- sending

    private void openStream(Peer p) {
        if (!p.opening && !p.streamOpen) {
            p.opening = true;
            outputs.add(new OpenStream(p.id));
        }
    }

    void sendRaw(Peer p, byte[] rpc, boolean urgent) {
        if (p == null || !p.pubsub) {
            return;
        }
        if (p.streamOpen) {
            outputs.add(new Send(p.id, rpc, urgent));
            return;
        }
        if (p.queue.size() >= cfg.maxPendingRpcs()) {
            p.queue.poll(); // a peer that cannot take our RPCs loses the oldest first
        }
        p.queue.add(rpc);
        openStream(p);
    }

    // ---------------------------------------------------------------- heartbeat

    /** One heartbeat: mesh and fanout maintenance, gossip emission, cache and score upkeep. */
    void heartbeat() {
        maintenance.heartbeat();
    }
}
