package io.ipdm.dataflow.cli;

import io.ipdm.wasm.WasmException;
import org.apache.flink.util.ExceptionUtils;

/**
 * One-line descriptions of startup failures (e.g. a savepoint path that does not exist) and job
 * failures.
 */
final class LocalRunnerErrors {
    private LocalRunnerErrors() {}

    /**
     * The line {@code ipdm run} prints for a failed job: a module's error as the host wrote it
     * (module, CID, function, batch, cause, budget), else the exception.
     */
    static String jobFailure(Throwable e) {
        return e instanceof WasmException ? e.getMessage() : String.valueOf(e);
    }

    static String describe(Throwable e) {
        Throwable t = ExceptionUtils.stripExecutionException(e);
        StringBuilder b = new StringBuilder(t.getMessage() == null ? t.toString() : t.getMessage());
        Throwable c = t.getCause();
        while (c != null && c != c.getCause()) {
            b.append(": ").append(c.getMessage() == null ? c.toString() : c.getMessage());
            c = c.getCause();
        }
        return b.toString();
    }
}
