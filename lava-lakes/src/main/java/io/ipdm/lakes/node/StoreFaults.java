package io.ipdm.lakes.node;

import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FAULT-INJECTION HOOK FOR TESTS: makes a node misbehave the way a dishonest or failing storage
 * node does, so that tests of the durability protocols can run against a real {@code ipdm node}
 * process. Off unless the hidden system property {@code ipdm.fault} (or the environment variable
 * {@code IPDM_FAULT}) names a fault; no command-line option or config key enables it, and a node
 * running with one logs a warning at start and shows it in its status.
 *
 * <ul>
 *   <li>{@code silent-delete}: every block the lake stores is removed again shortly after (no
 *       tombstone, nothing logged per block), while the node keeps acting as if it held them: its
 *       durability engine still believes it stores what it fetched, and it keeps announcing pinned
 *       roots. Integrity challenges are what catches it.
 * </ul>
 */
public final class StoreFaults {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFaults.class);
    public static final String PROPERTY = "ipdm.fault";
    public static final String ENV = "IPDM_FAULT";
    public static final String SILENT_DELETE = "silent-delete";

    /** How long a stored block lives on a silent-delete node: long enough for a fetch to end. */
    static final long DELETE_AFTER_MILLIS = 1500;

    private StoreFaults() {}

    /** The fault configured for this process, or null. */
    public static String configured() {
        String f = System.getProperty(PROPERTY);
        if (f == null || f.isBlank()) {
            f = System.getenv(ENV);
        }
        return f == null || f.isBlank() ? null : f.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Installs {@code fault} on {@code store}; {@code tasks} runs the delayed deletions.
     *
     * @throws IllegalArgumentException for an unknown fault name
     */
    public static void install(String fault, TieredStore store, ScheduledExecutorService tasks) {
        if (!SILENT_DELETE.equals(fault)) {
            throw new IllegalArgumentException(
                    PROPERTY + "=" + fault + " is not a known fault; known: " + SILENT_DELETE);
        }
        LOG.warn(
                "FAULT INJECTION {}={}: this node deletes every block it stores (a test hook)",
                PROPERTY,
                fault);
        store.onStored(
                cids -> {
                    List<Cid> copy = List.copyOf(cids);
                    tasks.schedule(
                            () -> {
                                try {
                                    store.discard(copy);
                                } catch (RuntimeException e) {
                                    LOG.debug("silent delete failed: {}", e.toString());
                                }
                            },
                            DELETE_AFTER_MILLIS,
                            TimeUnit.MILLISECONDS);
                });
    }
}
