package io.ipdm.operators.wasm;

import io.ipdm.wasm.WasmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first module error of each job that ran in this JVM, for the embedded runner ({@code ipdm
 * run}). Flink can lose a task's own failure: when an operator coordinator's event (e.g. a source's
 * {@code NoMoreSplitEvent}) reaches the task after it failed, the job fails with a {@code
 * TaskNotRunningException} and the module's error is in no failure cause or exception history.
 * Holds the latest 64 jobs; thread-safe.
 */
public final class ModuleErrors {
    private static final int MAX_JOBS = 64;

    private static final Map<String, WasmException> FIRST =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, WasmException> eldest) {
                    return size() > MAX_JOBS;
                }
            };

    private ModuleErrors() {}

    /** Records {@code e} unless job {@code jobId} already has an error. */
    static void record(String jobId, WasmException e) {
        synchronized (FIRST) {
            FIRST.putIfAbsent(jobId, e);
        }
    }

    /** Removes and returns the first module error of job {@code jobId} (hex id), or null. */
    public static WasmException take(String jobId) {
        synchronized (FIRST) {
            return FIRST.remove(jobId);
        }
    }
}
