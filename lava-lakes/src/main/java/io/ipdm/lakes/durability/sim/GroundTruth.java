package io.ipdm.lakes.durability.sim;

import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What is really stored, whatever the nodes say: per root, the nodes holding a correct copy of the
 * whole DAG (a crashed node's disk counts until it returns; a leaver's is gone), how many of them
 * are up, and the episodes during which fewer than {@code factor} up nodes held it.
 */
final class GroundTruth {
    enum Cause {
        /** A node crashed or left. */
        CHURN,
        /** A lying node's copy turned out not to be there. */
        LIE,
        /** A node dropped its copy because its engine said so (hand-off, collection). */
        DROP
    }

    private final int factor;
    private final Map<Cid, Integer> index = new HashMap<>();
    private final List<TreeSet<Integer>> holders = new ArrayList<>();
    private final int[] up;
    private final long[] degradedSince;
    private final Cause[] cause;
    private final boolean[] lost;
    final List<Long> churnRepairs = new ArrayList<>();
    final List<Long> lieRepairs = new ArrayList<>();
    final List<Long> dropRepairs = new ArrayList<>();
    int lostRoots;

    GroundTruth(List<Cid> roots, int factor, long now) {
        this.factor = factor;
        int n = roots.size();
        up = new int[n];
        degradedSince = new long[n];
        cause = new Cause[n];
        lost = new boolean[n];
        for (int i = 0; i < n; i++) {
            index.put(roots.get(i), i);
            holders.add(new TreeSet<>());
            degradedSince[i] = now; // nothing is placed yet
            cause[i] = Cause.LIE;
        }
    }

    /** Nodes holding a correct copy (up or down), lowest index first. */
    TreeSet<Integer> holders(Cid root) {
        return holders.get(index.get(root));
    }

    void added(Cid root, int node, boolean nodeUp, long now) {
        int i = index.get(root);
        if (holders.get(i).add(node) && nodeUp) {
            upChanged(i, +1, null, now);
        }
    }

    void removed(Cid root, int node, boolean nodeUp, Cause why, long now) {
        int i = index.get(root);
        if (!holders.get(i).remove(node)) {
            return;
        }
        if (nodeUp) {
            upChanged(i, -1, why, now);
        }
        if (holders.get(i).isEmpty() && !lost[i]) {
            lost[i] = true;
            lostRoots++;
        }
    }

    void nodeDown(Iterable<Cid> held, long now) {
        for (Cid r : held) {
            upChanged(index.get(r), -1, Cause.CHURN, now);
        }
    }

    void nodeUp(Iterable<Cid> held, long now) {
        for (Cid r : held) {
            upChanged(index.get(r), +1, null, now);
        }
    }

    private void upChanged(int i, int delta, Cause why, long now) {
        int before = up[i];
        up[i] += delta;
        if (before >= factor && up[i] < factor) {
            degradedSince[i] = now;
            cause[i] = why;
        } else if (before < factor && up[i] >= factor && degradedSince[i] >= 0) {
            long d = now - degradedSince[i];
            switch (cause[i]) {
                case CHURN -> churnRepairs.add(d);
                case LIE -> lieRepairs.add(d);
                case DROP -> dropRepairs.add(d);
            }
            degradedSince[i] = -1;
        }
    }

    /** Marks the initial placement done: roots at factor now start clean. */
    void placed() {
        for (int i = 0; i < up.length; i++) {
            if (up[i] >= factor) {
                degradedSince[i] = -1;
            }
        }
        lieRepairs.clear();
    }

    int underFactor() {
        int n = 0;
        for (int u : up) {
            if (u < factor) {
                n++;
            }
        }
        return n;
    }

    int openEpisodes() {
        int n = 0;
        for (int i = 0; i < up.length; i++) {
            if (degradedSince[i] >= 0 && !lost[i]) {
                n++;
            }
        }
        return n;
    }

    /** When the oldest episode still open began, or -1. */
    long oldestOpen() {
        long min = -1;
        for (int i = 0; i < up.length; i++) {
            if (degradedSince[i] >= 0 && !lost[i] && (min < 0 || degradedSince[i] < min)) {
                min = degradedSince[i];
            }
        }
        return min;
    }

    /** Correct copies of {@code root} on up nodes now. */
    int upCopies(Cid root) {
        return up[index.get(root)];
    }

    boolean isLost(Cid root) {
        return lost[index.get(root)];
    }
}
