package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.gossipsub.GossipRouter.Dial;
import io.ipdm.mesh.gossipsub.GossipRouter.Output;
import io.ipdm.mesh.gossipsub.GossipRouter.Peer;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PeerRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The control part of {@link GossipRouter}: IHAVE (capped per heartbeat, gossip promises tracked
 * and broken ones penalised), IWANT (served from the message cache, a bounded number of times),
 * GRAFT (refused during backoff with a penalty, above D_hi with peer exchange), PRUNE (backoff,
 * peer exchange from well-scored peers) and IDONTWANT (capped per heartbeat). It works on the
 * router's state; the router's thread calls it.
 */
final class ControlHandler {
    private final GossipRouter r;
    private final GossipConfig cfg;
    private final ScoreParams scoreParams;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final PeerScore score;
    private final PeerId self;
    private final ArrayDeque<Output> outputs;
    private final Map<PeerId, Peer> peers;
    private final Set<String> subscriptions;
    private final Map<String, Set<PeerId>> mesh;
    private final Map<PeerId, Map<String, Long>> backoff;
    private final Map<MessageId, Map<PeerId, Long>> promises;
    private final SeenCache seen;
    private final MessageCache mcache;

    ControlHandler(GossipRouter r) {
        this.r = r;
        this.cfg = r.cfg;
        this.scoreParams = r.scoreParams;
        this.clock = r.clock;
        this.random = r.random;
        this.score = r.score;
        this.self = r.self;
        this.outputs = r.outputs;
        this.peers = r.peers;
        this.subscriptions = r.subscriptions;
        this.mesh = r.mesh;
        this.backoff = r.backoff;
        this.promises = r.promises;
        this.seen = r.seen;
        this.mcache = r.mcache;
    }

    void handle(Peer p, Rpc rpc) {
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
        r.idontwantReceived += rpc.idontwant.size();
        for (MessageId id : rpc.idontwant) {
            if (++p.idontwantIds > cfg.maxIDontWantIds()) {
                break;
            }
            p.dontSend.put(id, r.heartbeats);
        }
        if (!reply.isEmpty()) {
            r.sendRaw(p, reply.encode(), false);
        }
    }

    private void handleIHave(Peer p, Rpc rpc, Rpc reply) {
        if (rpc.ihave.isEmpty()) {
            return;
        }
        if (++p.ihaveMessages > cfg.maxIHaveMessages() || p.iasked >= cfg.maxIHaveLength()) {
            return;
        }
        int before = reply.iwant.size();
        for (Rpc.IHave h : rpc.ihave) {
            if (!subscriptions.contains(h.topic())) {
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
        int asked = reply.iwant.size() - before;
        if (asked > 0) {
            MessageId tracked = reply.iwant.get(before + random.nextInt(asked));
            promises.computeIfAbsent(tracked, k -> new LinkedHashMap<>())
                    .putIfAbsent(p.id, clock.getAsLong() + cfg.iwantFollowupTime().toNanos());
        }
    }

    /** P7 for every advertised message the peer did not deliver in time after our IWANT. */
    void penaliseBrokenPromises(long now) {
        for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
            Map<PeerId, Long> byPeer = it.next();
            byPeer.entrySet()
                    .removeIf(
                            e -> {
                                if (e.getValue() > now) {
                                    return false;
                                }
                                score.behaviourPenalty(e.getKey(), 1);
                                r.brokenPromises++;
                                return true;
                            });
            if (byPeer.isEmpty()) {
                it.remove();
            }
        }
    }

    private void handleIWant(Peer p, Rpc rpc) {
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
            r.sendRaw(p, out.encode(), false);
        }
    }

    private void handleGraft(Peer p, String topic, double s, Rpc reply) {
        Set<PeerId> m = mesh.get(topic);
        if (m == null) {
            // Not subscribed: refuse without backoff penalty (spec: PRUNE).
            reply.prune.add(new Rpc.Prune(topic, List.of(), 0));
            return;
        }
        if (m.contains(p.id)) {
            return;
        }
        if (r.inBackoff(p.id, topic)) {
            // Grafting during backoff is misbehaviour (P7), and the backoff is refreshed; doing it
            // right after the PRUNE (a GRAFT flood) costs double.
            long until = backoff.get(p.id).get(topic);
            long floodCutoff =
                    until + cfg.graftFloodThreshold().toNanos() - cfg.pruneBackoff().toNanos();
            score.behaviourPenalty(p.id, clock.getAsLong() < floodCutoff ? 2 : 1);
            r.addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            reply.prune.add(r.pruneFor(p.id, topic, false));
            return;
        }
        if (s < 0) {
            reply.prune.add(r.pruneFor(p.id, topic, false));
            r.addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            return;
        }
        // Outbound peers are accepted above D_hi (spec v1.1: D_out must stay reachable).
        if (m.size() >= cfg.dHi() && !p.outbound) {
            reply.prune.add(r.pruneFor(p.id, topic, true));
            r.addBackoff(p.id, topic, cfg.pruneBackoff().toNanos());
            return;
        }
        m.add(p.id);
        p.topics.add(topic);
        score.graft(p.id, topic);
    }

    private void handlePrune(Peer p, Rpc.Prune pr, double s) {
        Set<PeerId> m = mesh.get(pr.topic());
        if (m != null && m.remove(p.id)) {
            score.prune(p.id, pr.topic());
        }
        long b =
                pr.backoffSeconds() > 0
                        ? TimeUnit.SECONDS.toNanos(pr.backoffSeconds())
                        : cfg.pruneBackoff().toNanos();
        r.addBackoff(p.id, pr.topic(), b);
        if (pr.peers().isEmpty() || s < scoreParams.acceptPxThreshold()) {
            return;
        }
        int dialed = 0;
        for (Rpc.PxPeer info : pr.peers()) {
            if (dialed >= cfg.prunePeers()) {
                break;
            }
            PeerId px;
            try {
                px = PeerId.fromBytes(info.peerId());
            } catch (IdentityException e) {
                continue;
            }
            if (peers.containsKey(px) || px.equals(self)) {
                continue;
            }
            List<Multiaddr> addrs = List.of();
            if (info.signedPeerRecord() != null) {
                // v1.1: connect at the addresses the peer signed; a record that does not verify,
                // or that is another peer's, is not dialed (the relay may have been fooled, so
                // it is not penalised)
                PeerRecord rec;
                try {
                    rec = PeerRecord.open(info.signedPeerRecord());
                } catch (IdentityException e) {
                    outputs.add(
                            new GossipRouter.Rejected(
                                    p.id, pr.topic(), "peer exchange: " + e.getMessage()));
                    continue;
                }
                if (!rec.peer().equals(px)) {
                    outputs.add(
                            new GossipRouter.Rejected(
                                    p.id,
                                    pr.topic(),
                                    "peer exchange: the signed record for "
                                            + px
                                            + " is "
                                            + rec.peer()
                                            + "'s"));
                    continue;
                }
                r.keepPeerRecord(rec, info.signedPeerRecord());
                addrs = rec.addresses();
            }
            outputs.add(new Dial(px, addrs));
            dialed++;
        }
    }
}
