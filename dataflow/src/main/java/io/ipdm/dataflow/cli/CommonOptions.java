package io.ipdm.dataflow.cli;

import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Option;

/** -q/--quiet and -v/--verbose, shared by every subcommand. */
final class CommonOptions {
    @Option(
            names = {"-q", "--quiet"},
            description = "Print only errors and results.")
    boolean quiet;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print stack traces and write Flink's INFO logs to the log file.")
    boolean verbose;

    void apply() {
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
        }
    }

    /** A status line, left out with -q. */
    void say(PrintWriter out, String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }

    /** A result: {@code line} as worded, or with -q only {@code bare} (for scripts). */
    void result(PrintWriter out, String line, String bare) {
        out.println(quiet ? bare : line);
        out.flush();
    }

    /** A failure the command reports itself: its message, and with -v its stack trace. */
    void failure(PrintWriter err, String message, Throwable e) {
        err.println(message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}
