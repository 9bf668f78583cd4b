package io.ipdm.lakes.policy;

import io.ipdm.lakes.LakesException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a lake stores and reads data: tier sizes, when blocks leave the warm tier, and how reads
 * prefetch. Every key is used by {@code ipdm lake} and {@code ipdm node} (see {@code
 * StorageConfigKeysTest}); keys that configured replication, repair and deal renewal were removed
 * because nothing maintains replicas or makes deals yet (the durability protocols will), and name
 * themselves as removed when given.
 *
 * @param hotBytes memory for the hot tier
 * @param coldArchiveBytes target size of one cold archive (one storage deal)
 * @param warmMaxAge blocks stored longer than this...
 * @param warmIdle ...and not read for this long (by the process running {@code gc}) move to cold
 * @param warmMaxBytes above this, the oldest warm blocks move to cold regardless of age
 * @param prefetchWindow how many following keys or links to prefetch (0: no prefetch)
 * @param prefetchParallelism parallel retrieval streams from cold, and concurrent network reads
 * @param prefetchFastRead network prefetching is off while recent network reads average less
 */
public record StorageConfig(
        long hotBytes,
        long coldArchiveBytes,
        Duration warmMaxAge,
        Duration warmIdle,
        long warmMaxBytes,
        int prefetchWindow,
        int prefetchParallelism,
        Duration prefetchFastRead) {

    public StorageConfig {
        positive("hot-bytes", hotBytes, 0);
        positive("cold-archive-bytes", coldArchiveBytes, 1024);
        positive("warm-max-bytes", warmMaxBytes, 0);
        positive("prefetch-window", prefetchWindow, 0);
        positive("prefetch-parallelism", prefetchParallelism, 1);
    }

    private static void positive(String key, long v, long min) {
        if (v < min) {
            throw new LakesException(
                    "storage config: " + key + " must be >= " + min + ", got " + v);
        }
    }

    public static StorageConfig defaults() {
        return new StorageConfig(
                256L << 20,
                1L << 30,
                Duration.ofHours(24),
                Duration.ofHours(1),
                64L << 30,
                16,
                4,
                Duration.ofMillis(2));
    }

    static final List<String> KEYS =
            List.of(
                    "hot-bytes",
                    "cold-archive-bytes",
                    "warm-max-age",
                    "warm-idle",
                    "warm-max-bytes",
                    "prefetch-window",
                    "prefetch-parallelism",
                    "prefetch-fast-read");

    /** Keys that were accepted once and did nothing; given now, they are errors saying so. */
    static final List<String> REMOVED =
            List.of(
                    "replication-factor",
                    "max-replication",
                    "popular-reads",
                    "popularity-window",
                    "repair",
                    "renew-threshold-epochs");

    /**
     * Defaults overridden by {@code key=value} settings (sizes in bytes, durations as ISO-8601 like
     * PT1H). Unknown keys, removed keys and bad values are errors naming the key.
     */
    public static StorageConfig fromMap(Map<String, String> settings) {
        StorageConfig d = defaults();
        for (String k : settings.keySet()) {
            if (REMOVED.contains(k)) {
                throw new LakesException(
                        "storage config: '"
                                + k
                                + "' was removed: a lake setting never kept replicas; replication"
                                + " subscriptions do (`ipdm net subscribe`, a factor per"
                                + " subscription, repaired by storage nodes every"
                                + " --repair-interval); drop the key (allowed keys: "
                                + String.join(", ", new TreeSet<>(KEYS))
                                + ")");
            }
            if (!KEYS.contains(k)) {
                throw new LakesException(
                        "storage config: unknown key '"
                                + k
                                + "'; allowed keys: "
                                + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        return new StorageConfig(
                num(settings, "hot-bytes", d.hotBytes),
                num(settings, "cold-archive-bytes", d.coldArchiveBytes),
                dur(settings, "warm-max-age", d.warmMaxAge),
                dur(settings, "warm-idle", d.warmIdle),
                num(settings, "warm-max-bytes", d.warmMaxBytes),
                (int) num(settings, "prefetch-window", d.prefetchWindow),
                (int) num(settings, "prefetch-parallelism", d.prefetchParallelism),
                dur(settings, "prefetch-fast-read", d.prefetchFastRead));
    }

    private static long num(Map<String, String> m, String k, long fallback) {
        String v = m.get(k);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (k.startsWith("prefetch-") && n > Integer.MAX_VALUE) {
                throw new LakesException(
                        "storage config: " + k + " must be <= " + Integer.MAX_VALUE + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new LakesException(
                    "storage config: " + k + " must be an integer, got '" + v + "'");
        }
    }

    private static Duration dur(Map<String, String> m, String k, Duration fallback) {
        String v = m.get(k);
        if (v == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(v.trim());
            if (d.isNegative()) {
                throw new LakesException(
                        "storage config: " + k + " must not be negative, got '" + v + "'");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new LakesException(
                    "storage config: "
                            + k
                            + " must be an ISO-8601 duration such as PT1H, got '"
                            + v
                            + "'");
        }
    }
}
