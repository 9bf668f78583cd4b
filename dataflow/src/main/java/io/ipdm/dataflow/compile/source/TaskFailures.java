package io.ipdm.dataflow.compile.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first error each job's source readers failed with, by job id, kept in the JVM the readers run
 * in. With the embedded MiniCluster that is the runner's own JVM, so the runner can name the task's
 * real error even when Flink's exception history only holds its own (a coordinator event lost on
 * the failing task: see {@link ReportingSource}). On a real cluster nobody reads it; it holds a few
 * recent jobs only.
 */
public final class TaskFailures {
    private static final int JOBS = 16;

    private static final Map<String, Throwable> FIRST =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Throwable> eldest) {
                    return size() > JOBS;
                }
            };

    private TaskFailures() {}

    /** Records {@code error} for {@code jobId} unless an earlier one is recorded. */
    static synchronized void record(String jobId, Throwable error) {
        if (jobId != null) {
            FIRST.putIfAbsent(jobId, error);
        }
    }

    /** Removes and returns the first error recorded for {@code jobId}, or null. */
    public static synchronized Throwable take(String jobId) {
        return FIRST.remove(jobId);
    }
}
