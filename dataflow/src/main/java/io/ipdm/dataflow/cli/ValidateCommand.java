package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks pipeline files without running them; exit 2 if any is wrong. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check pipeline files (syntax, keys, references, expressions) without running them.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline YAML files.")
    List<Path> files;

    @Mixin CommonOptions common;
    @Mixin PipelineOptions pipeline;
    @Mixin ReplayOption replay;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int bad = 0;
        for (Path f : files) {
            try {
                CompiledPipeline compiled = Pipelines.compile(f, replay.sets(f, pipeline.sets));
                Pipelines.printWarnings(compiled, err);
                PipelineSpec l = compiled.spec();
                if (!common.quiet) {
                    out.printf(
                            "ok %s (%d sources, %d stages, %d sinks)%n",
                            f, l.sources().size(), l.stages().size(), l.sinks().size());
                }
            } catch (PipelineException e) {
                bad++;
                IpdmCli.printErrors(e, err);
            }
        }
        out.flush();
        err.flush();
        return bad == 0 ? IpdmCli.OK : IpdmCli.BAD_INPUT;
    }
}
