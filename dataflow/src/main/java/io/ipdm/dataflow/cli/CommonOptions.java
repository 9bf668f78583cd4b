package io.ipdm.dataflow.cli;

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
}
