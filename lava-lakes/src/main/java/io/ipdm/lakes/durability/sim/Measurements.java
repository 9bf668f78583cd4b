package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What a {@link DurabilitySim} run measures: hourly samples of which liars honest nodes still count
 * as active servers, and the figures of a {@link SimResult} (at the end, or read-only in the middle
 * of a run). Part of the simulator; not thread-safe.
 */
final class Measurements {
    private final DurabilitySim sim;

    Measurements(DurabilitySim sim) {
        this.sim = sim;
    }

    /** Hourly: which liars some honest node still counts as an active server. */
    void sample() {
        for (SimNode l : sim.liars) {
            if (activeNow(l)) {
                l.lastActive = sim.now;
            }
        }
        if (sim.now < DurabilitySim.START + (long) (sim.cfg.days() * 24 * DurabilitySim.HOUR)) {
            sim.at(sim.now + DurabilitySim.HOUR, 1, -1, -1, this::sample);
        }
    }

    private boolean activeNow(SimNode liar) {
        for (SimNode m : sim.upHonest) {
            if (m.engine.isActiveServer(liar.id)) {
                return true;
            }
        }
        return false;
    }

    SimResult result(long wallNanos) {
        return result(wallNanos, false);
    }

    /**
     * The figures so far. {@code interim}: in the middle of a run (for {@link #reportEvery}), read
     * only: liars counted active are looked up now, and honest nodes excluded are not computed
     * (-1), since ranking reads apply decay and must not touch the engines mid-run.
     */
    SimResult result(long wallNanos, boolean interim) {
        double days =
                interim
                        ? (sim.now - DurabilitySim.START) / (24.0 * DurabilitySim.HOUR)
                        : sim.cfg.days();
        double nodeDays = sim.cfg.nodes() * days;
        long lostBlocks = 0;
        for (Cid r : sim.catalog.roots()) {
            if (sim.truth.isLost(r)) {
                lostBlocks += sim.catalog.dag(r).size();
            }
        }
        long end = sim.now;
        int ever = 0;
        int excluded = 0;
        List<Long> hours = new ArrayList<>();
        List<Long> isolatedAfter = new ArrayList<>();
        for (SimNode l : sim.liars) {
            if (l.firstIsolated >= 0) {
                isolatedAfter.add(l.firstIsolated - DurabilitySim.START);
            }
            if (l.lastActive >= 0) {
                ever++;
                hours.add(l.lastActive - DurabilitySim.START);
            }
            if (interim ? !activeNow(l) : l.lastActive < end) {
                excluded++;
            }
        }
        List<Long> churnRepairs = sorted(sim.truth.churnRepairs);
        List<Long> lieRepairs = sorted(sim.truth.lieRepairs);
        hours = sorted(hours);
        isolatedAfter = sorted(isolatedAfter);
        return new SimResult(
                sim.cfg.engine().repair(),
                sim.up.size(),
                days,
                sim.cfg.seed(),
                sim.cfg.roots(),
                sim.cfg.factor(),
                sim.faults.churnEvents,
                sim.faults.partitions,
                sim.truth.lostRoots,
                lostBlocks,
                churnRepairs.size(),
                pct(churnRepairs, 0.5) / DurabilitySim.MINUTE,
                pct(churnRepairs, 0.99) / DurabilitySim.MINUTE,
                pct(churnRepairs, 1.0) / DurabilitySim.MINUTE,
                lieRepairs.size(),
                pct(lieRepairs, 0.5) / DurabilitySim.MINUTE,
                sim.truth.openEpisodes(),
                sim.truth.underFactor(),
                sim.fetchedBytes / nodeDays,
                sim.controlBytes / nodeDays,
                sim.messages,
                sim.messagesLost,
                sim.liars.size(),
                ever,
                excluded,
                pct(hours, 0.5) / DurabilitySim.HOUR,
                pct(hours, 1.0) / DurabilitySim.HOUR,
                isolatedAfter.size(),
                pct(isolatedAfter, 0.5) / DurabilitySim.HOUR,
                pct(isolatedAfter, 1.0) / DurabilitySim.HOUR,
                sim.honestIsolated.size(),
                interim ? -1 : honestExcluded(),
                wallNanos / 1_000_000,
                String.format("%016x", DurabilitySim.finish(sim.trace)));
    }

    /** Up honest nodes that some up honest node ranks below placement or isolated, now. */
    private int honestExcluded() {
        Set<PeerId> bad = new java.util.HashSet<>();
        for (SimNode m : sim.upHonest) {
            for (PeerRank r : m.engine.ranking()) {
                if (r.lowRanked() || r.isolated()) {
                    bad.add(r.peer());
                }
            }
        }
        int n = 0;
        for (SimNode h : sim.upHonest) {
            if (bad.contains(h.id)) {
                n++;
            }
        }
        return n;
    }

    private static List<Long> sorted(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
