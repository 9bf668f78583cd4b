package io.ipdm.wasm;

import java.time.Duration;

/**
 * Per-call budgets of a module: wall-clock time of one call (one batch) and the most linear memory
 * the module may have, in 64 KiB pages. Pipelines set them in YAML; these are the defaults.
 */
public record SandboxLimits(Duration callTimeout, int maxMemoryPages)
        implements java.io.Serializable {
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MEMORY_PAGES = 1024; // 64 MiB
    public static final int PAGE_SIZE = 65536;

    /** The module config keys (pipeline YAML {@code modules[].config}) that set these budgets. */
    public static final String TIMEOUT_KEY = "timeout";

    public static final String MEMORY_KEY = "max_memory_pages";

    /** Below 2 GiB so that every guest pointer is a non-negative i32. */
    public static final int MAX_PAGES = 32767;

    public static final SandboxLimits DEFAULT =
            new SandboxLimits(DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_MEMORY_PAGES);

    public SandboxLimits {
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "call timeout must be positive, got " + callTimeout + " (e.g. 10s)");
        }
        if (maxMemoryPages < 1 || maxMemoryPages > MAX_PAGES) {
            throw new IllegalArgumentException(
                    "memory cap must be 1.."
                            + MAX_PAGES
                            + " pages of 64 KiB (64 KiB..2 GiB), got "
                            + maxMemoryPages);
        }
    }

    public SandboxLimits withCallTimeout(Duration d) {
        return new SandboxLimits(d, maxMemoryPages);
    }

    public SandboxLimits withMaxMemoryPages(int pages) {
        return new SandboxLimits(callTimeout, pages);
    }

    /** How to raise the time budget, for error messages. */
    public static String raiseTime() {
        return "raise it with the module's config key '"
                + TIMEOUT_KEY
                + "' (e.g. "
                + TIMEOUT_KEY
                + ": 30s)";
    }

    /** How to raise the memory cap, for error messages. */
    public String raiseMemory() {
        return "raise it with the module's config key '"
                + MEMORY_KEY
                + "' (now "
                + maxMemoryPages
                + ", at most "
                + MAX_PAGES
                + ")";
    }

    /** E.g. "time 5000 ms, memory 1024 pages (64 MiB)". */
    public String describe() {
        return "time "
                + callTimeout.toMillis()
                + " ms, memory "
                + maxMemoryPages
                + " pages ("
                + (long) maxMemoryPages * PAGE_SIZE / (1024 * 1024)
                + " MiB)";
    }
}
