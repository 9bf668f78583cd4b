package io.ipdm.lakes.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters per tier: hits, misses, promotions into it, demotions out of it. Thread-safe. */
public final class TierMetrics {
    private final Map<Tier, LongAdder> hits = counters();
    private final Map<Tier, LongAdder> misses = counters();
    private final Map<Tier, LongAdder> promotions = counters();
    private final Map<Tier, LongAdder> demotions = counters();

    private static Map<Tier, LongAdder> counters() {
        Map<Tier, LongAdder> m = new EnumMap<>(Tier.class);
        for (Tier t : Tier.values()) {
            m.put(t, new LongAdder());
        }
        return m;
    }

    void hit(Tier t) {
        hits.get(t).increment();
    }

    void miss(Tier t) {
        misses.get(t).increment();
    }

    void promoted(Tier into) {
        promotions.get(into).increment();
    }

    void demoted(Tier from, long n) {
        demotions.get(from).add(n);
    }

    public long hits(Tier t) {
        return hits.get(t).sum();
    }

    public long misses(Tier t) {
        return misses.get(t).sum();
    }

    public long promotions(Tier into) {
        return promotions.get(into).sum();
    }

    public long demotions(Tier from) {
        return demotions.get(from).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Tier t : Tier.values()) {
            sb.append(
                    String.format(
                            "%s hits=%d misses=%d promotions=%d demotions=%d%n",
                            t.name().toLowerCase(java.util.Locale.ROOT),
                            hits(t),
                            misses(t),
                            promotions(t),
                            demotions(t)));
        }
        return sb.toString();
    }
}
