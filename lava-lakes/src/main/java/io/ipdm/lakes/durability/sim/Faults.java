package io.ipdm.lakes.durability.sim;

import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a {@link DurabilitySim} run: churn (crashes that keep the disk, leaves with a fresh
 * node joining; the bootstrap nodes are spared) and partitions, each drawn from the run's seeded
 * streams. How peers learn of them is {@link Discovery}'s: connections break, the DHT's requests
 * fail, a returning or joining node bootstraps again. Part of the simulator; not thread-safe.
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
        SimNode n =
                sim.upHonest.isEmpty()
                        ? null
                        : sim.upHonest.get(sim.churn.nextInt(sim.upHonest.size()));
        if (n != null && !sim.discovery.isSeed(n)) { // bootstrap nodes stay
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
        sim.discovery.down(n);
    }

    private void comeBack(SimNode n, int inc) {
        if (n.state != SimNode.State.DOWN || n.incarnation != inc) {
            return;
        }
        n.state = SimNode.State.UP;
        sim.truth.nodeUp(n.held, sim.now);
        sim.markUp(n);
        sim.discovery.startKad(n);
        sim.startEngine(n);
    }

    private void join() {
        SimNode n = sim.newNode(Behaviour.HONEST);
        sim.markUp(n);
        sim.discovery.startKad(n);
        sim.startEngine(n);
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
            for (SimNode b : List.copyOf(a.conns)) {
                if (!b.cut) {
                    sim.discovery.cut(a, b);
                }
            }
        }
        sim.at(
                sim.now + sim.parts.nextLong(5 * DurabilitySim.MINUTE, 30 * DurabilitySim.MINUTE),
                9,
                -1,
                -1,
                () -> heal(side));
    }

    /** The cut heals: every node polls its routing table soon and dials what it misses. */
    private void heal(List<SimNode> side) {
        partitioned = false;
        for (SimNode a : side) {
            a.cut = false;
        }
        for (SimNode n : sim.up) {
            if (n.feed != null) {
                sim.discovery.schedulePoll(n, sim.now + Discovery.POLL_DELAY);
            }
        }
    }

    long detect() {
        return sim.detection.nextLong(
                sim.cfg.minDetect().toMillis(), sim.cfg.maxDetect().toMillis() + 1);
    }
}
