package io.ipdm.dataflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs a pipeline on an embedded Flink MiniCluster. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a pipeline on an embedded Flink MiniCluster.")
final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("run: runtime not landed yet");
    }
}
