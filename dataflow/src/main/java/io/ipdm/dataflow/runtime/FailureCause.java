package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.compile.source.TaskFailures;
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
 * TaskNotRunningException}: then the job's exception history may hold the task's real error, and
 * when even it does not (the lost event failed the task before its own report arrived), the error
 * its source reader recorded in {@link TaskFailures} (this JVM is the MiniCluster's) is used.
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
     * {@link #of} the job's failure, or when that is only Flink's own (a task that was no longer
     * running, say), of the first task failure in its exception history that is not, else of the
     * first error a source reader of the job recorded.
     */
    static Throwable of(Throwable t, MiniCluster cluster, JobID jobId) {
        if (cluster == null || jobId == null) {
            return of(t);
        }
        Throwable recorded = TaskFailures.take(jobId.toString());
        return of(t, isFlinkRuntime(of(t)) ? history(cluster, jobId) : List.of(), recorded);
    }

    /**
     * {@link #of} {@code t}, or when that is Flink's own, of the first of {@code history} that is
     * not, else of {@code recorded} (a task's own error, may be null).
     */
    static Throwable of(Throwable t, List<Throwable> history, Throwable recorded) {
        Throwable cause = of(t);
        if (!isFlinkRuntime(cause)) {
            return cause;
        }
        Throwable found = firstNotFlinkRuntime(history, cause);
        return isFlinkRuntime(found) && recorded != null ? of(recorded) : found;
    }

    /** The errors in the job's exception history and on its vertices, oldest first. */
    private static List<Throwable> history(MiniCluster cluster, JobID jobId) {
        ExecutionGraphInfo info;
        try {
            info = cluster.getExecutionGraphInfo(jobId).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
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
        return errors;
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
