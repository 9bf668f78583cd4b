package io.ipdm.dataflow.runtime;

import io.ipdm.operators.wasm.ModuleErrors;
import io.ipdm.wasm.WasmException;
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
import org.apache.flink.util.SerializedThrowable;

/**
 * Finds the WebAssembly error behind a failed job. The host's exception already names the module,
 * its CID, the function, the batch, the trap or panic message and the budget with its config key;
 * Flink wraps it (task failure, {@code PolyglotException} causes, serialized copies), and when a
 * checkpoint or an operator event reaches the failed task first, the job's own cause is a {@code
 * TaskNotRunningException} and only {@link ModuleErrors} (same JVM) still has the module's error.
 */
final class ModuleFailures {
    private ModuleFailures() {}

    /** The first {@link WasmException} in {@code t}'s cause chain (or suppressed), else null. */
    static WasmException find(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>();
        todo.add(t);
        while (!todo.isEmpty()) {
            Throwable cur = todo.removeFirst();
            if (cur == null || seen.put(cur, Boolean.TRUE) != null) {
                continue;
            }
            if (cur instanceof WasmException w) {
                return w;
            }
            if (cur instanceof SerializedThrowable s) {
                Throwable real = s.deserializeError(ModuleFailures.class.getClassLoader());
                if (real instanceof WasmException w) {
                    return w;
                }
                String name = s.getOriginalErrorClassName();
                if (name.startsWith("io.ipdm.wasm.")) {
                    // not deserializable (e.g. a PolyglotException cause): keep its message
                    String msg = s.getMessage();
                    return new WasmException(
                            msg.startsWith(name + ": ") ? msg.substring(name.length() + 2) : msg);
                }
            }
            todo.add(cur.getCause());
            todo.addAll(List.of(cur.getSuppressed()));
        }
        return null;
    }

    /**
     * The first module error a WASM stage of the job recorded, else the first among the job's task
     * failures and exception history, else null. Used when the job's own failure cause holds none.
     */
    static WasmException inHistory(MiniCluster cluster, JobID jobId) {
        WasmException recorded = ModuleErrors.take(jobId.toHexString());
        if (recorded != null) {
            return recorded;
        }
        ExecutionGraphInfo info;
        try {
            info = cluster.getExecutionGraphInfo(jobId).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
        List<ErrorInfo> errors = new ArrayList<>();
        for (RootExceptionHistoryEntry root : info.getExceptionHistory()) {
            errors.add(root);
            for (ExceptionHistoryEntry c : root.getConcurrentExceptions()) {
                errors.add(c);
            }
        }
        for (AccessExecutionVertex v : info.getArchivedExecutionGraph().getAllExecutionVertices()) {
            v.getFailureInfo().ifPresent(errors::add);
        }
        for (ErrorInfo e : errors) {
            WasmException w = find(e.getException());
            if (w != null) {
                return w;
            }
        }
        return null;
    }
}
