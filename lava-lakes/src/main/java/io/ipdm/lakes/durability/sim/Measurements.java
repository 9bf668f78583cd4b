package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Murmur3;
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
        if (DurabilitySim.DEBUG) {
            long t = 0, f = 0, pen = 0, ban = 0, ref = 0, out = 0, fp = 0, up = 0;
            for (SimNode n : sim.up) {
                if (n.kad != null) {
                    io.ipdm.mesh.kad.KadStats k = n.kad.stats();
                    t += k.routingTableSize();
                    f += k.requestsFailed();
                    pen += k.penalties();
                    ban += k.bannedPeers();
                    ref += k.requestsRefused();
                    out += k.requestsOut();
                }
                if (n.feed != null) {
                    fp += n.feed.upCount();
                    up++;
                }
            }
            System.err.printf(
                    "t=%d min table %.1f feedUp %.1f out %d failed %d refused %d penalties %d"
                            + " banned %d fetches %d%n",
                    (sim.now - DurabilitySim.START) / 60000,
                    (double) t / sim.up.size(),
                    (double) fp / Math.max(1, up),
                    out,
                    f,
                    ref,
                    pen,
                    ban,
                    sim.fetches);
        }
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
        double[] peers = peers();
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
                sim.discovery.kadMessages,
                sim.discovery.kadLost,
                sim.discovery.kadBytes / nodeDays,
                sim.fetches,
                sim.fetchesAfterFirstHour,
                sim.shortLivedCopies,
                sim.surplusCopies,
                sim.discovery.providerLookups,
                sim.discovery.lookupFinds,
                (double) sim.discovery.providerLookups / Math.max(1, churnRepairs.size()),
                peers[0],
                (int) peers[1],
                peers[2],
                wallNanos / 1_000_000,
                String.format("%016x", Murmur3.fmix64(sim.trace)));
    }

    /** Mean and max peers the engines are told are up, and the mean routing-table size, now. */
    private double[] peers() {
        long sum = 0;
        long table = 0;
        int max = 0;
        int count = 0;
        for (SimNode n : sim.up) {
            if (n.feed != null) {
                sum += n.feed.upCount();
                table += n.feed.routingSize();
                max = Math.max(max, n.feed.upCount());
                count++;
            }
        }
        return new double[] {
            count == 0 ? 0 : (double) sum / count, max, count == 0 ? 0 : (double) table / count
        };
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
