package io.ipdm.wasm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a module in its own {@link Context} on the shared engine: what one Flink subtask
 * uses. Not thread-safe; a subtask calls it from its task thread only. Every call runs under the
 * module's time budget (a watchdog interrupts the context) and its memory cap (the module's memory
 * maximum is lowered to the cap at load, so growing past it fails inside the guest).
 */
public final class WasmInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WasmInstance.class);
    private static final int MAX_LOG_BYTES = 1024;
    private static final int MAX_LOGS_PER_CALL = 100;
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "ipdm-wasm-watchdog");
                        t.setDaemon(true);
                        return t;
                    });

    private final WasmModule module;
    private final Context context;
    private final Value memory;
    private final Value memAsByteBuffer;
    private final Value alloc;
    private final Value reset;
    private final Map<String, Value> functions = new HashMap<>();
    private final Logger guestLog;
    private ByteBuffer mem;
    private boolean memoryGrown = true;
    private volatile boolean timedOut;
    private String abortMessage;
    private String lastError;
    private int logsThisCall;
    private String currentFunction = "-";
    private long currentBatch = -1;

    public WasmInstance(WasmModule module) {
        this.module = module;
        this.guestLog = LoggerFactory.getLogger("io.ipdm.wasm.guest." + module.name());
        this.context =
                Context.newBuilder("wasm")
                        .engine(WasmRuntime.engine())
                        .allowPolyglotAccess(
                                PolyglotAccess.newBuilder().allowBindingsAccess("wasm").build())
                        .build();
        try {
            Value mod = context.eval(module.source());
            Map<String, Object> ipdm = new HashMap<>();
            ipdm.put("log", (ProxyExecutable) this::hostLog);
            ipdm.put("abort", (ProxyExecutable) this::hostAbort);
            Value instance =
                    mod.newInstance(ProxyObject.fromMap(Map.of("ipdm", ProxyObject.fromMap(ipdm))));
            Value exports = instance.getMember("exports");
            this.memory = exports.getMember("memory");
            this.memAsByteBuffer =
                    context.getPolyglotBindings()
                            .getMember("WebAssembly")
                            .getMember("mem_as_byte_buffer");
            context.getPolyglotBindings()
                    .getMember("WebAssembly")
                    .getMember("mem_set_grow_callback")
                    .execute(memory, (ProxyExecutable) a -> onGrow());
            this.alloc = exports.getMember("ipdm_alloc");
            this.reset = exports.getMember("ipdm_reset");
            for (String key : exports.getMemberKeys()) {
                Value v = exports.getMember(key);
                if (v.canExecute()) {
                    functions.put(key, v);
                }
            }
            refreshMemory();
        } catch (PolyglotException e) {
            context.close(true);
            throw new UnlinkableModuleException(
                    "module '" + module.name() + "' could not be instantiated: " + e.getMessage(),
                    e);
        }
    }

    public WasmModule module() {
        return module;
    }

    /**
     * Runs {@code body} (one or more guest calls for one batch) under the time budget. Errors name
     * the module, {@code function}, {@code batch} and the budget.
     */
    public <T> T budgeted(String function, long batch, Supplier<T> body) {
        currentFunction = function;
        currentBatch = batch;
        timedOut = false;
        abortMessage = null;
        lastError = null;
        logsThisCall = 0;
        Duration budget = module.limits().callTimeout();
        ScheduledFuture<?> dog =
                WATCHDOG.schedule(this::interruptGuest, budget.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return body.get();
        } catch (PolyglotException e) {
            throw translate(e);
        } finally {
            dog.cancel(false);
        }
    }

    /** Calls an exported {@code (i32...) -> i32} function; use inside {@link #budgeted}. */
    public int call(String export, int... args) {
        Value f = functions.get(export);
        if (f == null) {
            throw new InvalidModuleException(
                    "module '" + module.name() + "' does not export function '" + export + "'");
        }
        Object[] a = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i];
        }
        Value r = f.execute(a);
        refreshMemory();
        return r.isNull() ? 0 : r.asInt();
    }

    /** Starts a batch: frees the module's scratch arena (everything from the previous batch). */
    public void resetArena() {
        reset.executeVoid();
    }

    /**
     * Allocates {@code size} bytes (8-aligned) in the module's arena. A failure means the module
     * reached its memory cap.
     */
    public int allocate(int size) {
        int p = alloc.execute(size).asInt();
        refreshMemory();
        if (p <= 0) {
            throw new BudgetExceededException(
                    where()
                            + " needs "
                            + size
                            + " more bytes than its memory cap allows (limits: "
                            + module.limits().describe()
                            + "); "
                            + module.limits().raiseMemory());
        }
        return p;
    }

    /** Little-endian view of the whole linear memory; valid until the next guest call. */
    public ByteBuffer memory() {
        return mem;
    }

    /** Linear memory size in bytes. */
    public int memorySize() {
        return mem.capacity();
    }

    /** The last message the guest logged at error level during the current call, or null. */
    public String lastError() {
        return lastError;
    }

    /** "module 'x' (cid) function 'f' batch 3" for error messages. */
    public String where() {
        return "module '"
                + module.name()
                + "' ("
                + module.cid()
                + ") function '"
                + currentFunction
                + "' batch "
                + currentBatch;
    }

    @Override
    public void close() {
        context.close(true);
    }

    private void refreshMemory() {
        // fetching the buffer costs ~10 us, so only after the grow callback said it changed
        if (memoryGrown) {
            memoryGrown = false;
            ByteBuffer b = memAsByteBuffer.execute(memory).asHostObject();
            mem = b.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private Object onGrow() {
        memoryGrown = true;
        return null;
    }

    private void interruptGuest() {
        timedOut = true;
        try {
            context.interrupt(Duration.ofSeconds(10));
        } catch (Exception e) {
            LOG.error("could not interrupt {} after its time budget", where(), e);
        }
    }

    private WasmException translate(PolyglotException e) {
        String budget = module.limits().describe();
        if (e.isInterrupted() || e.isCancelled() || timedOut) {
            return new BudgetExceededException(
                    where()
                            + " ran longer than its time budget of "
                            + module.limits().callTimeout().toMillis()
                            + " ms (limits: "
                            + budget
                            + "); "
                            + SandboxLimits.raiseTime(),
                    e);
        }
        boolean guestFailed = e.isGuestException() || abortMessage != null;
        // the SDKs abort with "out of memory" when memory.grow fails below the cap
        boolean outOfMemory = abortMessage != null && abortMessage.startsWith("out of memory");
        if (e.isResourceExhausted() || outOfMemory || (guestFailed && atMemoryCap())) {
            return new BudgetExceededException(
                    where()
                            + " failed at its memory cap (limits: "
                            + budget
                            + "): "
                            + (abortMessage != null ? "aborted: " + abortMessage : e.getMessage())
                            + "; "
                            + module.limits().raiseMemory(),
                    e);
        }
        if (abortMessage != null) {
            return new WasmTrapException(where() + " aborted: " + abortMessage, e);
        }
        if (e.isHostException() && e.asHostException() instanceof WasmException w) {
            return w;
        }
        if (e.isGuestException()) {
            return new WasmTrapException(
                    where()
                            + " trapped: "
                            + e.getMessage()
                            + " (memory "
                            + mem.capacity() / SandboxLimits.PAGE_SIZE
                            + " of "
                            + module.limits().maxMemoryPages()
                            + " pages)",
                    e);
        }
        return new WasmException(where() + " failed in the host: " + e.getMessage(), e);
    }

    private boolean atMemoryCap() {
        refreshMemory();
        return (long) mem.capacity()
                >= (long) module.limits().maxMemoryPages() * SandboxLimits.PAGE_SIZE;
    }

    private Object hostLog(Value... args) {
        if (args.length != 3) {
            return null;
        }
        int level = args[0].asInt();
        String msg = guestString(args[1].asInt(), args[2].asInt());
        if (level >= 3) {
            lastError = msg;
        }
        if (++logsThisCall > MAX_LOGS_PER_CALL) {
            if (logsThisCall == MAX_LOGS_PER_CALL + 1) {
                guestLog.warn(
                        "{}: more than {} log lines in one call; dropping the rest",
                        where(),
                        MAX_LOGS_PER_CALL);
            }
            return null;
        }
        switch (level) {
            case 0 -> guestLog.debug("{}: {}", where(), msg);
            case 1 -> guestLog.info("{}: {}", where(), msg);
            case 2 -> guestLog.warn("{}: {}", where(), msg);
            default -> guestLog.error("{}: {}", where(), msg);
        }
        return null;
    }

    private Object hostAbort(Value... args) {
        abortMessage =
                args.length == 2 ? guestString(args[0].asInt(), args[1].asInt()) : "(no message)";
        throw new WasmTrapException(where() + " aborted: " + abortMessage);
    }

    private String guestString(int ptr, int len) {
        refreshMemory();
        if (ptr < 0 || len < 0 || (long) ptr + len > mem.capacity()) {
            return "<message out of bounds: ptr " + ptr + " len " + len + ">";
        }
        byte[] b = new byte[Math.min(len, MAX_LOG_BYTES)];
        mem.get(ptr, b);
        return new String(b, StandardCharsets.UTF_8) + (len > MAX_LOG_BYTES ? "..." : "");
    }
}
