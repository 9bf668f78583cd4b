package io.ipdm.mesh.kad;

/** Counters and sizes for a status view. */
public record KadStats(
        int routingTableSize,
        int providerKeys,
        int providerRecords,
        int providedKeys,
        int queuedProvides,
        int activeLookups,
        int pendingRequests,
        long requestsIn,
        long requestsRefused,
        long requestsOut,
        long requestsFailed,
        long penalties,
        int bannedPeers,
        int connectedContacts,
        long upkeepRequests) {}
