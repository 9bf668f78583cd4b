package io.ipdm.mesh.gossipsub;

import java.util.Map;

/** A snapshot of router counters. */
public record GossipMetrics(
        int peers,
        Map<String, Integer> meshSizes,
        long published,
        long delivered,
        long duplicates,
        long invalid,
        long forwarded,
        long graylistedRpcs,
        long malformedRpcs,
        long idontwantSent,
        long idontwantReceived,
        Map<String, Double> scores) {}
