package io.ipdm.lakes.policy;

import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.store.WarmTier;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Moves blocks from warm to cold: by age (stored longer than {@code warmMaxAge} and not read for
 * {@code warmIdle}) and by size (oldest first while the warm tier holds more than {@code
 * warmMaxBytes}). Hot eviction is Caffeine's; cold blocks only leave through deletion.
 */
public final class LifecyclePolicy {
    private static final int BATCH = 1024;

    /** What one pass did. */
    public record Report(int demotedByAge, int demotedBySize) {}

    private final StorageConfig config;
    private final AccessTracker access;

    public LifecyclePolicy(StorageConfig config, AccessTracker access) {
        this.config = config;
        this.access = access;
    }

    public Report run(TieredStore store) throws IOException {
        long now = store.clock().millis();
        long maxAge = config.warmMaxAge().toMillis();
        long idle = config.warmIdle().toMillis();
        List<WarmTier.Entry> all = store.warm().scan(e -> true, Integer.MAX_VALUE);
        List<WarmTier.Entry> byAge = new ArrayList<>();
        List<WarmTier.Entry> kept = new ArrayList<>();
        for (WarmTier.Entry e : all) {
            long lastRead = access.lastReadMillis(e.cid());
            boolean old = now - e.storedAtMillis() >= maxAge;
            boolean idleEnough = lastRead < 0 || now - lastRead >= idle;
            if (old && idleEnough) {
                byAge.add(e);
            } else {
                kept.add(e);
            }
        }
        demote(store, byAge);
        long bytes = kept.stream().mapToLong(WarmTier.Entry::size).sum();
        List<WarmTier.Entry> bySize = new ArrayList<>();
        if (bytes > config.warmMaxBytes()) {
            kept.sort(Comparator.comparingLong(WarmTier.Entry::storedAtMillis));
            for (WarmTier.Entry e : kept) {
                if (bytes <= config.warmMaxBytes()) {
                    break;
                }
                bySize.add(e);
                bytes -= e.size();
            }
        }
        demote(store, bySize);
        return new Report(byAge.size(), bySize.size());
    }

    /**
     * Demotes in batches of about one cold archive ({@code cold-archive-bytes}), so each batch
     * fills an archive that is then sealed at the target size.
     */
    private void demote(TieredStore store, List<WarmTier.Entry> entries) throws IOException {
        List<Cid> batch = new ArrayList<>();
        long bytes = 0;
        for (WarmTier.Entry e : entries) {
            batch.add(e.cid());
            bytes += e.size();
            if (batch.size() == BATCH || bytes >= config.coldArchiveBytes()) {
                store.demoteToCold(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            store.demoteToCold(batch);
        }
    }
}
