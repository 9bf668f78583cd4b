package io.ipdm.dataflow.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --set path=value overrides, applied after ${ENV} substitution. */
final class PipelineOptions {
    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description =
                    "Override a value, e.g. --set runtime.parallelism=4 or --set"
                            + " sources.txs.options.seed=7 (list items by id). Repeatable.")
    List<String> sets = new ArrayList<>();
}
