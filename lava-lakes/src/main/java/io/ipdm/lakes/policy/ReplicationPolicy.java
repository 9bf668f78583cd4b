package io.ipdm.lakes.policy;

import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many replicas a block should have: {@code factor}, plus one for each doubling of reads past
 * {@code popularReads} in the access tracker's window, capped at {@code maxReplication}. Also plans
 * repairs and deal renewals. Used by {@link io.ipdm.lakes.replication.Replicator}; no command
 * configures it yet (the durability protocols will), so it is not part of {@link StorageConfig}.
 */
public final class ReplicationPolicy {
    /** A block short of replicas. */
    public record Repair(Cid cid, int have, int want) {}

    private final int factor;
    private final int maxReplication;
    private final long popularReads;
    private final long renewThresholdEpochs;
    private final AccessTracker access;

    /**
     * @param renewThresholdEpochs renew a deal when fewer epochs than this remain (0: never)
     */
    public ReplicationPolicy(
            int factor,
            int maxReplication,
            long popularReads,
            long renewThresholdEpochs,
            AccessTracker access) {
        if (factor < 1 || popularReads < 1 || renewThresholdEpochs < 0) {
            throw new LakesException(
                    "replication policy: factor and popular reads must be >= 1, renew threshold"
                            + " >= 0");
        }
        if (maxReplication < factor) {
            throw new LakesException(
                    "replication policy: max-replication ("
                            + maxReplication
                            + ") must be >= replication-factor ("
                            + factor
                            + ")");
        }
        this.factor = factor;
        this.maxReplication = maxReplication;
        this.popularReads = popularReads;
        this.renewThresholdEpochs = renewThresholdEpochs;
        this.access = access;
    }

    /**
     * {@code factor} replicas, up to 8 for popular blocks (100 reads), renewals 100,000 epochs
     * ahead.
     */
    public static ReplicationPolicy of(int factor, AccessTracker access) {
        return new ReplicationPolicy(factor, Math.max(8, factor), 100, 100_000, access);
    }

    public int desiredReplicas(Cid cid) {
        long reads = access.reads(cid);
        int want = factor;
        if (reads >= popularReads) {
            want += 1 + (63 - Long.numberOfLeadingZeros(reads / popularReads));
        }
        return Math.min(want, maxReplication);
    }

    /** Blocks whose known replica count is below what they should have. */
    public List<Repair> plan(Map<Cid, Integer> replicas) {
        List<Repair> out = new ArrayList<>();
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
        return renewThresholdEpochs > 0 && dealEndEpoch - currentEpoch < renewThresholdEpochs;
    }
}
