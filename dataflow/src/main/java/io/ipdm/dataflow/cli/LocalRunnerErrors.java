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
     * (module, CID, function, batch, cause, budget), else the error's message on one line. IPDM's
     * errors say in words what failed where; Java class names are for {@code -v}, which prints the
     * stack trace.
     */
    static String jobFailure(Throwable e) {
        if (e instanceof WasmException) {
            return e.getMessage();
        }
        String msg = e.getMessage();
        if (e instanceof OutOfMemoryError) {
            return "out of memory ("
                    + msg
                    + "); give the JVM more with IPDM_JAVA_OPTS=-Xmx8g, or lower"
                    + " runtime.parallelism";
        }
        if (msg == null || msg.isBlank()) {
            return "the failing task gave no message; run with -v for its stack trace";
        }
        return msg.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String describe(Throwable e) {
        Throwable t = ExceptionUtils.stripExecutionException(e);
        StringBuilder b = new StringBuilder(line(t));
        Throwable c = t.getCause();
        while (c != null && c != c.getCause()) {
            b.append(": ").append(line(c));
            c = c.getCause();
        }
        return b.toString();
    }

    private static String line(Throwable t) {
        String m = IpdmCli.message(t);
        return m == null ? t.toString() : m;
    }
}
