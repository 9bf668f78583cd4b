package io.ipdm.operators.wasm;

import io.ipdm.wasm.ModuleSession;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module sessions for code without a lifecycle (a window's {@code AggregateFunction} has no
 * open/close): one session per thread and stage, closed by a reaper once its thread has ended
 * (Flink task threads end with their task).
 */
final class ThreadSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSessions.class);
    private static final Map<Thread, Map<String, Entry>> SESSIONS = new ConcurrentHashMap<>();
    private static final BufferAllocator ROOT = new RootAllocator();
    private static final ScheduledExecutorService REAPER =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "ipdm-wasm-session-reaper");
                        t.setDaemon(true);
                        return t;
                    });

    static {
        REAPER.scheduleWithFixedDelay(ThreadSessions::reap, 5, 5, TimeUnit.SECONDS);
    }

    /** A session with its own allocator. */
    record Entry(ModuleSession session, BufferAllocator allocator) {}

    private ThreadSessions() {}

    /** The calling thread's session for {@code stage}, created on first use. */
    static ModuleSession get(WasmStage stage) {
        Map<String, Entry> mine =
                SESSIONS.computeIfAbsent(Thread.currentThread(), t -> new ConcurrentHashMap<>());
        String key = stage.moduleCid() + "/" + stage.limits();
        return mine.computeIfAbsent(
                        key,
                        k -> {
                            BufferAllocator a =
                                    ROOT.newChildAllocator(
                                            "wasm " + stage.moduleName(), 0, Long.MAX_VALUE);
                            return new Entry(new ModuleSession(stage.module(), a), a);
                        })
                .session();
    }

    private static void reap() {
        for (Iterator<Map.Entry<Thread, Map<String, Entry>>> it = SESSIONS.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Thread, Map<String, Entry>> e = it.next();
            if (!e.getKey().isAlive()) {
                it.remove();
                for (Entry s : e.getValue().values()) {
                    try {
                        s.session().close();
                        s.allocator().close();
                    } catch (RuntimeException ex) {
                        LOG.warn(
                                "closing the WASM session of ended thread {}",
                                e.getKey().getName(),
                                ex);
                    }
                }
            }
        }
    }
}
