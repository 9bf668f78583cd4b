package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.GraphPrinter;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
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
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PipelineLoader.Loaded l = Pipelines.load(file, pipeline.sets);
            LocalRunner.Plan plan = Pipelines.plan(l);
            out.print(
                    format == Format.dot
                            ? GraphPrinter.dot(l.spec(), plan)
                            : GraphPrinter.text(l.spec(), plan));
            out.flush();
            return IpdmCli.OK;
        } catch (PipelineException e) {
            for (PipelineError pe : e.errors()) {
                err.println(pe);
            }
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
    }
}
