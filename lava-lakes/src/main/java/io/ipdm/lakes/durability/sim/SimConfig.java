package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.DurabilityConfig;
import io.ipdm.mesh.kad.KadConfig;
import java.time.Duration;

/**
 * One simulated storage network: its size, data, churn, faults and liars, and the engine settings
 * every node runs with. Times are virtual.
 *
 * @param nodes storage nodes at the start (the count stays about constant: leavers are replaced)
 * @param days simulated days
 * @param seed the one seed every random choice derives from
 * @param factor replication factor of every subscription
 * @param roots subscribed roots (DAGs of {@code blocksPerRoot} blocks: a dag-pb root over raw
 *     leaves of {@code leafBytes} bytes)
 * @param subscriptions signed subscription records the roots are spread over
 * @param churnPerHour share of the nodes that churn per hour (each churn: a crash with a later
 *     return, or a leave for good with a fresh node joining)
 * @param leaveShare share of churn events that are leaves rather than crash-and-return
 * @param liarShare share of nodes that lie (spread over the four kinds of {@link Behaviour})
 * @param loss probability that a message is lost
 * @param partitionsPerDay mean number of partitions a day (each cuts 5% of the nodes off for 5-30
 *     minutes)
 * @param engine the engine settings (its {@code repair} flag is the baseline switch)
 */
public record SimConfig(
        int nodes,
        double days,
        long seed,
        int factor,
        int roots,
        int subscriptions,
        int blocksPerRoot,
        int leafBytes,
        double churnPerHour,
        double leaveShare,
        double liarShare,
        double loss,
        Duration minLatency,
        Duration maxLatency,
        Duration minDetect,
        Duration maxDetect,
        double partitionsPerDay,
        long bandwidthBytesPerSecond,
        DurabilityConfig engine) {

    /** The full size: 1,000 nodes, factor 3, 10% churn an hour, 5% liars, 30 days. */
    public static SimConfig full(long seed) {
        return of(1000, 30, seed);
    }

    /**
     * {@code nodes} nodes for {@code days} days with the rates: factor 3, one root per node
     * (in one subscription per thousand roots), 10% churning an hour (half of it leaves), 5% liars,
     * 1% message loss, one partition a day.
     */
    public static SimConfig of(int nodes, double days, long seed) {
        return new SimConfig(
                nodes,
                days,
                seed,
                3,
                nodes,
                (nodes + 999) / 1000,
                3,
                1024,
                0.10,
                0.5,
                0.05,
                0.01,
                Duration.ofMillis(10),
                Duration.ofMillis(150),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                1,
                10_000_000,
                engineDefaults());
    }

    /**
     * The engine settings the simulation runs: the node's defaults with intervals stretched to what
     * a thousand nodes over a month can afford to simulate (repair itself is event-driven).
     */
    public static DurabilityConfig engineDefaults() {
        return DurabilityConfig.builder()
                .maintenanceInterval(Duration.ofMinutes(10))
                .scanInterval(Duration.ofHours(6))
                .challengeInterval(Duration.ofHours(2))
                .challengeTimeout(Duration.ofSeconds(30))
                .challengeSamples(2)
                .replicateRetry(Duration.ofMinutes(5))
                .gcGrace(Duration.ofHours(1))
                .cacheBlocks(0)
                .build();
    }

    /**
     * The DHT settings every simulated node runs: the node's defaults ({@link
     * KadConfig#defaults()}: k 20, alpha 3, 10 s request and 60 s lookup deadlines, provider
     * records kept 48 h and republished every 22 h) with the table refresh stretched from 5 min to
     * 1 h, as the engine's intervals are, for what a thousand nodes over a month can afford.
     */
    public static KadConfig kadDefaults() {
        return KadConfig.defaults().toBuilder().refreshInterval(Duration.ofHours(1)).build();
    }

    public SimConfig withRepair(boolean repair) {
        return new SimConfig(
                nodes,
                days,
                seed,
                factor,
                roots,
                subscriptions,
                blocksPerRoot,
                leafBytes,
                churnPerHour,
                leaveShare,
                liarShare,
                loss,
                minLatency,
                maxLatency,
                minDetect,
                maxDetect,
                partitionsPerDay,
                bandwidthBytesPerSecond,
                engine.toBuilder().repair(repair).build());
    }

    public SimConfig withLiarShare(double share) {
        return new SimConfig(
                nodes,
                days,
                seed,
                factor,
                roots,
                subscriptions,
                blocksPerRoot,
                leafBytes,
                churnPerHour,
                leaveShare,
                share,
                loss,
                minLatency,
                maxLatency,
                minDetect,
                maxDetect,
                partitionsPerDay,
                bandwidthBytesPerSecond,
                engine);
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(
                nodes,
                days,
                s,
                factor,
                roots,
                subscriptions,
                blocksPerRoot,
                leafBytes,
                churnPerHour,
                leaveShare,
                liarShare,
                loss,
                minLatency,
                maxLatency,
                minDetect,
                maxDetect,
                partitionsPerDay,
                bandwidthBytesPerSecond,
                engine);
    }
}
