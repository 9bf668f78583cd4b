package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.GraphPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the compiled dataflow graph. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Print the compiled dataflow graph: streams with their schemas, Flink operators with uids.")
final class ExplainCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text,
        dot
    }

    @Parameters(paramLabel = "FILE", description = "Pipeline YAML file.")
    Path file;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text (default) or dot (Graphviz).")
    Format format;

    @Mixin CommonOptions common;
    @Mixin PipelineOptions pipeline;
    @Mixin ReplayOption replay;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        CompiledPipeline plan = Pipelines.compile(file, replay.sets(file, pipeline.sets));
        out.print(format == Format.dot ? GraphPrinter.dot(plan) : GraphPrinter.text(plan));
        if (format == Format.text) {
            out.print(Pipelines.describeIdentity(plan.identity()));
        }
        out.flush();
        return IpdmCli.OK;
    }
}
