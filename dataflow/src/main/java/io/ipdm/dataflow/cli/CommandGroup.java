package io.ipdm.dataflow.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code ipdm}, {@code lake}, {@code net}, ...): run without a
 * subcommand it is a usage error naming them ({@link IpdmCli#subcommandRequired}).
 */
abstract class CommandGroup implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw IpdmCli.subcommandRequired(spec);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
