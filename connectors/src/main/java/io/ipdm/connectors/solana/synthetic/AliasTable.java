package io.ipdm.connectors.solana.synthetic;

import java.util.ArrayDeque;

/** Walker/Vose alias method: O(1) sampling from a fixed discrete distribution. */
final class AliasTable {
    private final double[] prob;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        prob = new double[n];
        alias = new int[n];
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] scaled = new double[n];
        ArrayDeque<Integer> small = new ArrayDeque<>();
        ArrayDeque<Integer> large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            (scaled[i] < 1 ? small : large).add(i);
        }
        while (!small.isEmpty() && !large.isEmpty()) {
            int s = small.poll();
            int l = large.poll();
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).add(l);
        }
        for (int i : large) {
            prob[i] = 1;
        }
        for (int i : small) {
            prob[i] = 1;
        }
    }

    /** Zipf weights 1/(k+1)^s for k in [0, n). */
    static AliasTable zipf(int n, double s) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1 / Math.pow(k + 1, s);
        }
        return new AliasTable(w);
    }

    int sample(Rng rng) {
        long r = rng.nextLong();
        int i = (int) (((r >>> 32) * prob.length) >>> 32);
        return ((r & 0xffffffffL) * 0x1.0p-32) < prob[i] ? i : alias[i];
    }

    int size() {
        return prob.length;
    }
}
