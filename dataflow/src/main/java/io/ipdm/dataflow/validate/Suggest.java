package io.ipdm.dataflow.validate;

import java.util.Collection;

/** Picks the closest known name for a typo (edit distance at most 2). */
public final class Suggest {
    private Suggest() {}

    public static String closest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            // The distance is at least the difference in length: skip without the quadratic work,
            // so a huge word against many names stays cheap.
            if (Math.abs(word.length() - k.length()) >= bestDistance) {
                continue;
            }
            int d = distance(word, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
