package io.ipdm.lakes.durability.sim;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The storage network simulation as a command: {@code DurabilityBench [nodes [days [seed [baseline
 * [liarShare]]]]]} runs the network with maintenance on, then (unless {@code baseline} is {@code
 * no-baseline}) the same network and seed with maintenance off, and prints both. The maintained run
 * prints its figures so far every 5 simulated days to stderr. Defaults: the full size
 * (1,000 nodes, 30 days, seed 1, 5% liars); {@code liarShare} 0.125 is {@code
 * DurabilitySimTest.liarsEndUpIsolatedWhileHonestNodesStay}'s share.
 */
public final class DurabilityBench {
    private DurabilityBench() {}

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double days = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        boolean baseline = args.length <= 3 || !args[3].equals("no-baseline");
        SimConfig cfg = SimConfig.of(nodes, days, seed);
        if (args.length > 4) {
            cfg = cfg.withLiarShare(Double.parseDouble(args[4]));
        }
        run(cfg, baseline, System.out);
    }

    /** Runs and prints; returns the maintained run's result. */
    public static SimResult run(
            int nodes, double days, long seed, boolean baseline, PrintStream out) {
        return run(SimConfig.of(nodes, days, seed), baseline, out);
    }

    /** Runs {@code cfg} and prints; returns the maintained run's result. */
    public static SimResult run(SimConfig cfg, boolean baseline, PrintStream out) {
        if (cfg.nodes() < 10 || cfg.days() <= 0) {
            throw new IllegalArgumentException(
                    "durability simulation: at least 10 nodes and a positive number of days");
        }
        if (cfg.liarShare() < 0 || cfg.liarShare() >= 1) {
            throw new IllegalArgumentException(
                    "durability simulation: liar share "
                            + cfg.liarShare()
                            + " is out of range; give 0 to 0.99");
        }
        out.printf(
                Locale.ROOT,
                "durability simulation: %d nodes, %.1f days, seed %d, factor %d, %d roots of %d"
                        + " blocks, churn %.0f%%/h (%.0f%% leaves), %.0f%% liars, %.0f%% message"
                        + " loss, %.1f partitions/day%n",
                cfg.nodes(),
                cfg.days(),
                cfg.seed(),
                cfg.factor(),
                cfg.roots(),
                cfg.blocksPerRoot(),
                cfg.churnPerHour() * 100,
                cfg.leaveShare() * 100,
                cfg.liarShare() * 100,
                cfg.loss() * 100,
                cfg.partitionsPerDay());
        DurabilitySim sim = new DurabilitySim(cfg).progressTo(System.err).reportEvery(5);
        SimResult on = sim.run();
        out.print(on.format());
        out.println("  engine reports: " + new java.util.TreeMap<>(sim.reports()));
        if (DurabilitySim.DEBUG)
            out.println("  debug: " + sim.debug + " dropEpisodes=" + sim.dropEpisodes());
        if (baseline) {
            SimResult off = new DurabilitySim(cfg.withRepair(false)).run();
            out.print(off.format());
        }
        return on;
    }
}
