package io.ipdm.lakes.policy;

import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many replicas a block should have: the configured factor, plus one for each doubling of reads
 * past {@code popularReads} in the popularity window, capped at {@code maxReplication}. Also plans
 * repairs and deal renewals. {@link io.ipdm.lakes.replication.Replicator} places the replicas on
 * other nodes over the mesh.
 */
public final class ReplicationPolicy {
    /** A block short of replicas. */
    public record Repair(Cid cid, int have, int want) {}

    private final StorageConfig config;
    private final AccessTracker access;

    public ReplicationPolicy(StorageConfig config, AccessTracker access) {
        this.config = config;
        this.access = access;
    }

    public int desiredReplicas(Cid cid) {
        long reads = access.reads(cid);
        int want = config.replicationFactor();
        if (reads >= config.popularReads()) {
            want += 1 + (63 - Long.numberOfLeadingZeros(reads / config.popularReads()));
        }
        return Math.min(want, config.maxReplication());
    }

    /** Blocks whose known replica count is below what they should have (empty if repair is off). */
    public List<Repair> plan(Map<Cid, Integer> replicas) {
        List<Repair> out = new ArrayList<>();
        if (!config.repair()) {
            return out;
        }
        replicas.forEach(
                (cid, have) -> {
                    int want = desiredReplicas(cid);
                    if (have < want) {
                        out.add(new Repair(cid, have, want));
                    }
                });
        return out;
    }

    /** Whether a deal ending at {@code dealEndEpoch} should be renewed now. */
    public boolean shouldRenew(long dealEndEpoch, long currentEpoch) {
        return config.renewThresholdEpochs() > 0
                && dealEndEpoch - currentEpoch < config.renewThresholdEpochs();
    }
}
