package io.ipdm.connectors.lakes;

import io.ipdm.lakes.store.TieredStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One open {@link TieredStore} per lake directory per JVM, shared by all subtasks (RocksDB allows
 * one opener per directory). Reference-counted; the last release closes it.
 */
final class LakeRegistry {
    private record Entry(TieredStore store, int refs) {}

    private static final Map<Path, Entry> OPEN = new HashMap<>();

    private LakeRegistry() {}

    static synchronized TieredStore acquire(String dir, long hotBytes, long coldArchiveBytes)
            throws IOException {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        Entry e = OPEN.get(p);
        if (e == null) {
            e = new Entry(TieredStore.open(p, hotBytes, coldArchiveBytes), 0);
        }
        OPEN.put(p, new Entry(e.store(), e.refs() + 1));
        return e.store();
    }

    static synchronized void release(String dir) throws IOException {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        Entry e = OPEN.get(p);
        if (e == null) {
            return;
        }
        if (e.refs() <= 1) {
            OPEN.remove(p);
            e.store().close();
        } else {
            OPEN.put(p, new Entry(e.store(), e.refs() - 1));
        }
    }
}
