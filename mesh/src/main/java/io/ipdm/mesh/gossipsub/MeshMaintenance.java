package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.gossipsub.GossipRouter.Peer;
import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The heartbeat of {@link GossipRouter} (gossipsub v1.1 spec, "Heartbeat"): mesh maintenance with
 * D_lo / D / D_hi, D_score and D_out, opportunistic grafting, fanout expiry and refill, IHAVE
 * emission to non-mesh peers, broken promises, per-heartbeat counters, cache, backoff and score
 * decay. It works on the router's state; the router's thread calls it.
 */
final class MeshMaintenance {
    private final GossipRouter r;
    private final ControlHandler controlHandler;
    private final GossipConfig cfg;
    private final ScoreParams scoreParams;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final PeerScore score;
    private final Map<PeerId, Peer> peers;
    private final Map<String, Set<PeerId>> mesh;
    private final Map<String, Set<PeerId>> fanout;
    private final Map<String, Long> fanoutLastPublish;
    private final Map<PeerId, Map<String, Long>> backoff;
    private final SeenCache seen;
    private final MessageCache mcache;

    MeshMaintenance(GossipRouter r, ControlHandler controlHandler) {
        this.r = r;
        this.controlHandler = controlHandler;
        this.cfg = r.cfg;
        this.scoreParams = r.scoreParams;
        this.clock = r.clock;
        this.random = r.random;
        this.score = r.score;
        this.peers = r.peers;
        this.mesh = r.mesh;
        this.fanout = r.fanout;
        this.fanoutLastPublish = r.fanoutLastPublish;
        this.backoff = r.backoff;
        this.seen = r.seen;
        this.mcache = r.mcache;
    }

    /** One heartbeat: mesh and fanout maintenance, gossip emission, cache and score upkeep. */
    void heartbeat() {
        r.heartbeats++;
        long now = clock.getAsLong();
        Map<PeerId, Rpc> control = new LinkedHashMap<>();
        for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
            maintainMesh(e.getKey(), e.getValue(), control);
            emitGossip(e.getKey(), e.getValue(), control);
        }
        maintainFanout(now, control);
        controlHandler.penaliseBrokenPromises(now);
        control.forEach((id, rpc) -> r.sendRaw(peers.get(id), rpc.encode(), false));
        for (Peer p : peers.values()) {
            p.ihaveMessages = 0;
            p.iasked = 0;
            p.idontwantIds = 0;
            // Insertion order is arrival order: drop from the front while too old.
            Iterator<Long> it = p.dontSend.values().iterator();
            while (it.hasNext() && it.next() < r.heartbeats - cfg.idontwantHeartbeats()) {
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
        if (r.heartbeats % decayEvery == 0) {
            score.decay();
        }
    }

    private Rpc control(Map<PeerId, Rpc> control, PeerId id) {
        return control.computeIfAbsent(id, k -> new Rpc());
    }

    private boolean isOutbound(PeerId id) {
        Peer p = peers.get(id);
        return p != null && p.outbound;
    }

    private void graftInHeartbeat(String topic, Set<PeerId> m, PeerId id, Map<PeerId, Rpc> c) {
        m.add(id);
        score.graft(id, topic);
        control(c, id).graft.add(topic);
    }

    private void pruneInHeartbeat(
            String topic, PeerId id, boolean px, Map<PeerId, Rpc> c, boolean connected) {
        score.prune(id, topic);
        if (connected) {
            r.addBackoff(id, topic, cfg.pruneBackoff().toNanos());
            control(c, id).prune.add(r.pruneFor(id, topic, px));
        }
    }

    /** The mesh maintenance of the gossipsub v1.1 spec, "Heartbeat" (with D_score and D_out). */
    private void maintainMesh(String topic, Set<PeerId> m, Map<PeerId, Rpc> c) {
        // Drop peers that left or went negative.
        for (Iterator<PeerId> it = m.iterator(); it.hasNext(); ) {
            PeerId id = it.next();
            boolean connected = peers.containsKey(id);
            if (!connected || score.score(id) < 0) {
                it.remove();
                pruneInHeartbeat(topic, id, false, c, connected);
            }
        }
        // Too few: graft up to D.
        if (m.size() < cfg.dLo()) {
            for (PeerId id :
                    r.pick(
                            topic,
                            cfg.d() - m.size(),
                            id -> !m.contains(id) && r.canGraft(id, topic))) {
                graftInHeartbeat(topic, m, id, c);
            }
        }
        // Too many: keep the D_score best, fill to D at random, keep D_out outbound peers.
        if (m.size() > cfg.dHi()) {
            List<PeerId> sorted = new ArrayList<>(m);
            Collections.shuffle(sorted, random);
            sorted.sort((a, b) -> Double.compare(score.score(b), score.score(a)));
            List<PeerId> keep = new ArrayList<>(sorted.subList(0, cfg.dScore()));
            List<PeerId> rest = new ArrayList<>(sorted.subList(cfg.dScore(), sorted.size()));
            Collections.shuffle(rest, random);
            keep.addAll(rest.subList(0, cfg.d() - cfg.dScore()));
            List<PeerId> dropped =
                    new ArrayList<>(rest.subList(cfg.d() - cfg.dScore(), rest.size()));
            long outbound = keep.stream().filter(this::isOutbound).count();
            if (outbound < cfg.dOut()) {
                // Swap outbound peers from the dropped set for inbound ones from the random part.
                List<PeerId> outDropped = new ArrayList<>();
                for (PeerId id : dropped) {
                    if (isOutbound(id)) {
                        outDropped.add(id);
                    }
                }
                for (int i = keep.size() - 1;
                        i >= cfg.dScore() && outbound < cfg.dOut() && !outDropped.isEmpty();
                        i--) {
                    if (!isOutbound(keep.get(i))) {
                        PeerId in = outDropped.remove(0);
                        dropped.remove(in);
                        dropped.add(keep.set(i, in));
                        outbound++;
                    }
                }
            }
            for (PeerId id : dropped) {
                m.remove(id);
                pruneInHeartbeat(topic, id, true, c, true);
            }
        }
        // Enough peers but too few outbound ones: graft outbound peers.
        if (m.size() >= cfg.dLo()) {
            long outbound = m.stream().filter(this::isOutbound).count();
            if (outbound < cfg.dOut()) {
                for (PeerId id :
                        r.pick(
                                topic,
                                (int) (cfg.dOut() - outbound),
                                id -> isOutbound(id) && !m.contains(id) && r.canGraft(id, topic))) {
                    graftInHeartbeat(topic, m, id, c);
                }
            }
        }
        // Opportunistic grafting: a mesh of poorly scoring peers gets better ones.
        if (r.heartbeats % cfg.opportunisticGraftTicks() == 0 && m.size() > 1) {
            List<Double> scores = new ArrayList<>();
            for (PeerId id : m) {
                scores.add(score.score(id));
            }
            Collections.sort(scores);
            double median = scores.get(scores.size() / 2);
            if (median < scoreParams.opportunisticGraftThreshold()) {
                for (PeerId id :
                        r.pick(
                                topic,
                                cfg.opportunisticGraftPeers(),
                                id ->
                                        !m.contains(id)
                                                && r.canGraft(id, topic)
                                                && score.score(id) > median)) {
                    graftInHeartbeat(topic, m, id, c);
                }
            }
        }
    }

    private void maintainFanout(long now, Map<PeerId, Rpc> control) {
        for (Iterator<Map.Entry<String, Set<PeerId>>> it = fanout.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Set<PeerId>> e = it.next();
            String topic = e.getKey();
            Long last = fanoutLastPublish.get(topic);
            if (last == null || now - last > cfg.fanoutTtl().toNanos()) {
                fanoutLastPublish.remove(topic);
                it.remove();
                continue;
            }
            Set<PeerId> f = e.getValue();
            f.removeIf(
                    id ->
                            !peers.containsKey(id)
                                    || score.score(id) < scoreParams.publishThreshold()
                                    || !peers.get(id).topics.contains(topic));
            if (f.size() < cfg.d()) {
                f.addAll(
                        r.pick(
                                topic,
                                cfg.d() - f.size(),
                                id ->
                                        !f.contains(id)
                                                && score.score(id)
                                                        >= scoreParams.publishThreshold()));
            }
            emitGossip(topic, f, control);
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
                r.pick(
                        topic,
                        cfg.dLazy(),
                        id ->
                                !exclude.contains(id)
                                        && score.score(id) >= scoreParams.gossipThreshold())) {
            control(control, id).ihave.add(new Rpc.IHave(topic, advertised));
        }
    }
}
