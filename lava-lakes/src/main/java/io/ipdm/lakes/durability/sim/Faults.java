package io.ipdm.lakes.durability.sim;

import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a {@link DurabilitySim} run: churn (crashes that keep the disk, leaves with a fresh
 * node joining) and partitions, each drawn from the run's seeded streams, and how peers learn of
 * them (after a detection delay, through their connections). Part of the simulator; not
 * thread-safe.
 */
final class Faults {
    private final DurabilitySim sim;
    long churnEvents;
    long partitions;
    private boolean partitioned;

    Faults(DurabilitySim sim) {
        this.sim = sim;
    }

    void scheduleChurn() {
        double perHour = sim.cfg.churnPerHour() * Math.max(1, sim.upHonest.size());
        if (perHour <= 0) {
            return;
        }
        long gap = (long) (-Math.log(1 - sim.churn.nextDouble()) / perHour * DurabilitySim.HOUR);
        if (sim.now + gap < quietFrom()) {
            sim.at(sim.now + Math.max(1, gap), 3, -1, -1, this::churnOnce);
        }
    }

    /**
     * The last {@link #QUIET} of a run has no new churn or partitions, so the figures "at the end"
     * (roots under factor, liars still counted active) show where repair converged rather than what
     * a crash a minute before the end just broke.
     */
    private long quietFrom() {
        return DurabilitySim.START
                + (long) (sim.cfg.days() * 24 * DurabilitySim.HOUR)
                - DurabilitySim.QUIET;
    }

    private void churnOnce() {
        if (!sim.upHonest.isEmpty()) {
            SimNode n = sim.upHonest.get(sim.churn.nextInt(sim.upHonest.size()));
            churnEvents++;
            boolean leave = sim.churn.nextDouble() < sim.cfg.leaveShare();
            long later = sim.churn.nextLong(DurabilitySim.MINUTE, 10 * DurabilitySim.MINUTE);
            long downtime = sim.churn.nextLong(5 * DurabilitySim.MINUTE, 4 * DurabilitySim.HOUR);
            goDown(n, leave);
            if (leave) {
                sim.at(sim.now + later, 4, n.index, -1, this::join);
            } else {
                int inc = n.incarnation;
                sim.at(sim.now + downtime, 5, n.index, -1, () -> comeBack(n, inc));
            }
        }
        scheduleChurn();
    }

    private void goDown(SimNode n, boolean leave) {
        sim.markDown(n);
        n.incarnation++;
        n.savedRanking = leave ? List.of() : n.engine.ranking();
        n.savedAt = sim.now;
        n.engine = null;
        if (leave) {
            n.state = SimNode.State.GONE;
            for (Cid r : List.copyOf(n.held)) {
                sim.truth.removed(r, n.index, true, GroundTruth.Cause.CHURN, sim.now);
            }
            n.held.clear();
        } else {
            n.state = SimNode.State.DOWN;
            sim.truth.nodeDown(n.held, sim.now);
        }
        List<SimNode> former = sim.topology.remove(n);
        sim.at(sim.now + detect(), 6, n.index, -1, () -> announceDown(n, former));
    }

    private void comeBack(SimNode n, int inc) {
        if (n.state != SimNode.State.DOWN || n.incarnation != inc) {
            return;
        }
        n.state = SimNode.State.UP;
        sim.truth.nodeUp(n.held, sim.now);
        sim.markUp(n);
        sim.startEngine(n);
        int i2 = n.incarnation;
        sim.at(sim.now + detect(), 7, n.index, -1, () -> announceUp(n, i2));
    }

    private void join() {
        SimNode n = sim.newNode(Behaviour.HONEST);
        sim.markUp(n);
        sim.startEngine(n);
        int inc = n.incarnation;
        sim.at(sim.now + detect(), 7, n.index, -1, () -> announceUp(n, inc));
    }

    /**
     * The peers connected to {@code n} learn it is gone (their connections broke); those that lost
     * a far contact find another.
     */
    private void announceDown(SimNode n, List<SimNode> former) {
        List<SimNode> told = new ArrayList<>(former);
        if (n.state != SimNode.State.UP) {
            for (SimNode m : sim.topology.connected(n)) {
                if (!former.contains(m)) {
                    told.add(m); // its group
                }
            }
        }
        for (SimNode m : told) {
            if (m.up() && m.cut == n.cut) {
                m.engine.peerDown(n.id);
                sim.drain(m);
            }
        }
        for (SimNode m : former) {
            if (m.up()) {
                connect(m, sim.topology.fill(m, sim.links));
            }
        }
    }

    /** {@code n} and every reachable up peer it is connected to learn of each other. */
    private void announceUp(SimNode n, int inc) {
        if (n.state != SimNode.State.UP || n.incarnation != inc) {
            return;
        }
        sim.topology.fill(n, sim.links);
        connect(n, sim.topology.connected(n));
    }

    private void connect(SimNode n, List<SimNode> peers) {
        for (SimNode m : peers) {
            if (m != n && m.up() && n.up() && m.cut == n.cut) {
                n.engine.peerUp(m.id);
                m.engine.peerUp(n.id);
                sim.drain(m);
            }
        }
        sim.drain(n);
    }

    void schedulePartition() {
        if (sim.cfg.partitionsPerDay() <= 0) {
            return;
        }
        long gap =
                (long)
                        (-Math.log(1 - sim.parts.nextDouble())
                                / sim.cfg.partitionsPerDay()
                                * 24
                                * DurabilitySim.HOUR);
        if (sim.now + gap < quietFrom()) {
            sim.at(sim.now + Math.max(1, gap), 8, -1, -1, this::partition);
        }
    }

    private void partition() {
        schedulePartition();
        if (partitioned || sim.up.size() < 20) {
            return;
        }
        partitioned = true;
        partitions++;
        List<SimNode> side = new ArrayList<>();
        int count = Math.max(1, sim.up.size() / 20);
        List<SimNode> pool = new ArrayList<>(sim.up);
        for (int i = 0; i < count; i++) {
            SimNode n = pool.remove(sim.parts.nextInt(pool.size()));
            n.cut = true;
            side.add(n);
        }
        for (SimNode a : side) {
            for (SimNode b : sim.topology.connected(a)) {
                if (!b.cut) {
                    a.engine.peerDown(b.id);
                    b.engine.peerDown(a.id);
                    sim.drain(b);
                }
            }
            sim.drain(a);
        }
        sim.at(
                sim.now + sim.parts.nextLong(5 * DurabilitySim.MINUTE, 30 * DurabilitySim.MINUTE),
                9,
                -1,
                -1,
                () -> heal(side));
    }

    private void heal(List<SimNode> side) {
        partitioned = false;
        for (SimNode a : side) {
            a.cut = false;
        }
        for (SimNode a : side) {
            if (!a.up()) {
                continue;
            }
            List<SimNode> across = new ArrayList<>();
            for (SimNode b : sim.topology.connected(a)) {
                if (!side.contains(b)) {
                    across.add(b);
                }
            }
            connect(a, across);
        }
    }

    private long detect() {
        return sim.churn.nextLong(
                sim.cfg.minDetect().toMillis(), sim.cfg.maxDetect().toMillis() + 1);
    }
}
