package io.ipdm.dataflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the compiled dataflow graph. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Print the compiled dataflow graph.")
final class ExplainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("explain: compiler not landed yet");
    }
}
