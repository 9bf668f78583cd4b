package io.ipdm.dataflow.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.runtime.scheduler.exceptionhistory.ExceptionHistoryEntry;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;

/**
 * The error a failed job is reported by. IPDM's own exceptions already say, in words, what went
 * wrong where (file, slot, transaction, archive offset, sink), and some carry the library error
 * they caught as their cause (a Jackson parse error under the decoder's "file: slot S: ..."), so
 * the outermost IPDM exception in the chain wins over the chain's root. And when a task fails, an
 * operator event or checkpoint sent to it can fail the job first with Flink's {@code
 * TaskNotRunningException}: then the job's exception history holds the task's real error.
 */
final class FailureCause {
    private FailureCause() {}

    /** The outermost IPDM exception with a message in {@code t}'s causes, else the root cause. */
    static Throwable of(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable cur = ExceptionUtils.stripExecutionException(t);
        Throwable last = cur;
        while (cur != null && seen.put(cur, Boolean.TRUE) == null) {
            Throwable real = deserialized(cur);
            if (isIpdm(real) && real.getMessage() != null) {
                return real;
            }
            last = real;
            cur = real.getCause();
        }
        return last;
    }

    /**
     * {@link #of} the job's failure, or of the first task failure in its exception history when
     * that is only Flink's own (a task that was no longer running, say).
     */
    static Throwable of(Throwable t, MiniCluster cluster, JobID jobId) {
        Throwable cause = of(t);
        if (!isFlinkRuntime(cause) || cluster == null || jobId == null) {
            return cause;
        }
        ExecutionGraphInfo info;
        try {
            info = cluster.getExecutionGraphInfo(jobId).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return cause;
        }
        List<Throwable> errors = new ArrayList<>();
        for (RootExceptionHistoryEntry root : info.getExceptionHistory()) {
            errors.add(exception(root));
            for (ExceptionHistoryEntry c : root.getConcurrentExceptions()) {
                errors.add(exception(c));
            }
        }
        for (AccessExecutionVertex v : info.getArchivedExecutionGraph().getAllExecutionVertices()) {
            v.getFailureInfo().ifPresent(e -> errors.add(exception(e)));
        }
        return firstNotFlinkRuntime(errors, cause);
    }

    /** The cause of the first of {@code errors} that is not Flink's own, else {@code fallback}. */
    static Throwable firstNotFlinkRuntime(List<Throwable> errors, Throwable fallback) {
        for (Throwable e : errors) {
            if (e == null) {
                continue;
            }
            Throwable c = of(e);
            if (!isFlinkRuntime(c)) {
                return c;
            }
        }
        return fallback;
    }

    private static Throwable exception(ErrorInfo e) {
        return e.getException();
    }

    static boolean isFlinkRuntime(Throwable t) {
        return className(t).startsWith("org.apache.flink.runtime.");
    }

    private static boolean isIpdm(Throwable t) {
        return className(t).startsWith("io.ipdm.");
    }

    /** The class a (possibly serialized) throwable was thrown as. */
    static String className(Throwable t) {
        return t instanceof SerializedThrowable s
                ? s.getOriginalErrorClassName()
                : t.getClass().getName();
    }

    /** The original exception when its class is on this class path, else {@code t} itself. */
    private static Throwable deserialized(Throwable t) {
        if (t instanceof SerializedThrowable s) {
            Throwable real = s.deserializeError(FailureCause.class.getClassLoader());
            return real == null ? s : real;
        }
        return t;
    }
}
