package io.ipdm.dataflow.cli;

import org.apache.flink.util.ExceptionUtils;

/** One-line descriptions of startup failures (e.g. a savepoint path that does not exist). */
final class LocalRunnerErrors {
    private LocalRunnerErrors() {}

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
