package io.ipdm.lakes.durability.sim;

import java.util.Locale;

/**
 * What one simulation run measured.
 *
 * @param lostRoots roots of which no node (up or down, leavers excluded) holds a correct copy
 * @param lostBlocks their blocks
 * @param crashRepairs episodes where a crash or leave took a root below its factor of live correct
 *     copies, and the p50/p99/max minutes until it was back (by repair or by the node's return);
 *     episodes still open at the end are counted in {@code openEpisodes}
 * @param fetchedBytesPerNodeDay repair traffic: DAG bytes fetched per node and simulated day
 * @param controlBytesPerNodeDay durability messages per node and day
 * @param liars lying nodes; {@code liarsExcluded} of them are counted active by no honest node at
 *     the end, and {@code liarsEverActive} were active for some root at some point
 * @param exclusionHoursP50 hours from the start until an ever-active liar was last counted active
 *     by an honest node (p50, max)
 * @param liarsIsolated liars some honest node isolated as a serial offender, and the hours from the
 *     start until the first did (p50, max)
 * @param honestIsolated honest nodes some honest node isolated (false positives)
 * @param honestExcluded honest nodes up at the end that some up honest node ranks too low for
 *     placement or isolated at the end (false positives of exclusion); -1 in an interim report
 * @param fetches fetches the engines asked for (failed ones included); {@code
 *     fetchesAfterFirstHour} of them after the cold start's first hour, and {@code
 *     shortLivedCopies} fetched copies released (handed off) within an hour of their fetch:
 *     duplicate repairs; {@code surplusCopies} fetches that completed while the root already had
 *     {@code factor} correct copies on up nodes (not needed for the factor at that moment)
 * @param traceHash digest of every event of the run: equal for equal seeds
 */
public record SimResult(
        boolean repair,
        int nodesAtEnd,
        double days,
        long seed,
        int roots,
        int factor,
        long churnEvents,
        long partitions,
        int lostRoots,
        long lostBlocks,
        int crashRepairs,
        double repairP50Minutes,
        double repairP99Minutes,
        double repairMaxMinutes,
        int lieRepairs,
        double lieRepairP50Minutes,
        int openEpisodes,
        int underFactorAtEnd,
        double fetchedBytesPerNodeDay,
        double controlBytesPerNodeDay,
        long messages,
        long messagesLost,
        int liars,
        int liarsEverActive,
        int liarsExcluded,
        double exclusionHoursP50,
        double exclusionHoursMax,
        int liarsIsolated,
        double isolationHoursP50,
        double isolationHoursMax,
        int honestIsolated,
        int honestExcluded,
        long kadMessages,
        long kadLost,
        double kadBytesPerNodeDay,
        long fetches,
        long fetchesAfterFirstHour,
        long shortLivedCopies,
        long surplusCopies,
        long providerLookups,
        long providerLookupsFound,
        double lookupsPerRepair,
        double meanEnginePeers,
        int maxEnginePeers,
        double meanRoutingTable,
        long wallMillis,
        String traceHash) {

    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "maintenance %s: %d nodes (at end), %.1f days, seed %d, %d roots at factor"
                                + " %d, %d churn events, %d partitions%n",
                        repair ? "ON" : "OFF",
                        nodesAtEnd,
                        days,
                        seed,
                        roots,
                        factor,
                        churnEvents,
                        partitions));
        b.append(
                String.format(
                        Locale.ROOT, "  blocks lost: %d (%d roots)%n", lostBlocks, lostRoots));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  below factor after a crash/leave: %d episodes, back at factor in p50 %.2f"
                                + " min, p99 %.2f min, max %.2f min; %d still open, %d roots under"
                                + " factor at the end%n",
                        crashRepairs,
                        repairP50Minutes,
                        repairP99Minutes,
                        repairMaxMinutes,
                        openEpisodes,
                        underFactorAtEnd));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  below factor because of a liar: %d episodes, p50 %.1f min%n",
                        lieRepairs,
                        lieRepairP50Minutes));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  repair traffic: %.1f KiB fetched per node-day; control %.1f KiB per"
                                + " node-day; %d messages (%d lost)%n",
                        fetchedBytesPerNodeDay / 1024,
                        controlBytesPerNodeDay / 1024,
                        messages,
                        messagesLost));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  liars: %d, ever active %d, counted active by no honest node at the end %d"
                                + " (%.0f%%), last counted active after p50 %.1f h, max %.1f h;"
                                + " isolated by an honest node %d (%.0f%%) after p50 %.1f h, max"
                                + " %.1f h; honest nodes isolated: %d, excluded at the end: %d%n",
                        liars,
                        liarsEverActive,
                        liarsExcluded,
                        liars == 0 ? 100.0 : 100.0 * liarsExcluded / liars,
                        exclusionHoursP50,
                        exclusionHoursMax,
                        liarsIsolated,
                        liars == 0 ? 100.0 : 100.0 * liarsIsolated / liars,
                        isolationHoursP50,
                        isolationHoursMax,
                        honestIsolated,
                        honestExcluded));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  discovery (Kademlia): %d DHT messages (%d lost), %.1f KiB per node-day;"
                                + " %d fetches, %d DHT provider lookups (%d found a provider),"
                                + " %.2f lookups per repair episode; engine peers per node mean"
                                + " %.1f, max %d (of %d nodes), routing table mean %.1f%n",
                        kadMessages,
                        kadLost,
                        kadBytesPerNodeDay / 1024,
                        fetches,
                        providerLookups,
                        providerLookupsFound,
                        lookupsPerRepair,
                        meanEnginePeers,
                        maxEnginePeers,
                        nodesAtEnd,
                        meanRoutingTable));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  fetches: %d, %d in the first hour (cold start), %d after it (%.1f per"
                                + " churn event); %d fetched copies released within an hour"
                                + " (duplicate repairs); %d completed with the root at factor"
                                + " already (surplus)%n",
                        fetches,
                        fetches - fetchesAfterFirstHour,
                        fetchesAfterFirstHour,
                        (double) fetchesAfterFirstHour / Math.max(1, churnEvents),
                        shortLivedCopies,
                        surplusCopies));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  wall time %.1f s, trace %s%n",
                        wallMillis / 1000.0,
                        traceHash));
        return b.toString();
    }
}
