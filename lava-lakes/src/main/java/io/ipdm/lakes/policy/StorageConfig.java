package io.ipdm.lakes.policy;

import io.ipdm.lakes.LakesException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a lake stores data, in the spirit of Powergate's storage config: tier sizes, when blocks
 * leave the warm tier, how many replicas a block should have (more when it is popular), and whether
 * missing replicas are repaired and deals renewed.
 *
 * @param hotBytes memory for the hot tier
 * @param coldArchiveBytes target size of one cold archive (one storage deal)
 * @param warmMaxAge blocks stored longer than this...
 * @param warmIdle ...and not read for this long move to cold
 * @param warmMaxBytes above this, the oldest warm blocks move to cold regardless of age
 * @param replicationFactor replicas every block should have
 * @param maxReplication upper bound for popular blocks
 * @param popularReads reads within {@code popularityWindow} that earn one more replica (doubling)
 * @param popularityWindow the window reads are counted over
 * @param repair whether missing replicas are re-created
 * @param renewThresholdEpochs renew a deal when fewer epochs than this remain (0: never)
 * @param prefetchWindow how many following keys or links to prefetch
 * @param prefetchParallelism parallel retrieval streams from cold, and concurrent network reads
 * @param prefetchFastRead network prefetching is off while recent network reads average less
 */
public record StorageConfig(
        long hotBytes,
        long coldArchiveBytes,
        Duration warmMaxAge,
        Duration warmIdle,
        long warmMaxBytes,
        int replicationFactor,
        int maxReplication,
        long popularReads,
        Duration popularityWindow,
        boolean repair,
        long renewThresholdEpochs,
        int prefetchWindow,
        int prefetchParallelism,
        Duration prefetchFastRead) {

    public StorageConfig {
        positive("hot-bytes", hotBytes, 0);
        positive("cold-archive-bytes", coldArchiveBytes, 1024);
        positive("warm-max-bytes", warmMaxBytes, 0);
        positive("replication-factor", replicationFactor, 1);
        positive("prefetch-window", prefetchWindow, 0);
        positive("prefetch-parallelism", prefetchParallelism, 1);
        positive("popular-reads", popularReads, 1);
        positive("renew-threshold-epochs", renewThresholdEpochs, 0);
        if (maxReplication < replicationFactor) {
            throw new LakesException(
                    "storage config: max-replication ("
                            + maxReplication
                            + ") must be >= replication-factor ("
                            + replicationFactor
                            + ")");
        }
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
                3,
                8,
                100,
                Duration.ofHours(1),
                true,
                100_000,
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
                    "replication-factor",
                    "max-replication",
                    "popular-reads",
                    "popularity-window",
                    "repair",
                    "renew-threshold-epochs",
                    "prefetch-window",
                    "prefetch-parallelism",
                    "prefetch-fast-read");

    /**
     * Defaults overridden by {@code key=value} settings (sizes in bytes, durations as ISO-8601 like
     * PT1H). Unknown keys and bad values are errors naming the key.
     */
    public static StorageConfig fromMap(Map<String, String> settings) {
        StorageConfig d = defaults();
        for (String k : settings.keySet()) {
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
                (int) num(settings, "replication-factor", d.replicationFactor),
                (int) num(settings, "max-replication", d.maxReplication),
                num(settings, "popular-reads", d.popularReads),
                dur(settings, "popularity-window", d.popularityWindow),
                bool(settings, "repair", d.repair),
                num(settings, "renew-threshold-epochs", d.renewThresholdEpochs),
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
            return Long.parseLong(v.trim());
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
            return Duration.parse(v.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new LakesException(
                    "storage config: "
                            + k
                            + " must be an ISO-8601 duration such as PT1H, got '"
                            + v
                            + "'");
        }
    }

    private static boolean bool(Map<String, String> m, String k, boolean fallback) {
        String v = m.get(k);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new LakesException(
                    "storage config: " + k + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
