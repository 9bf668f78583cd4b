package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;

/** Loading as every subcommand does it: the process environment feeds ${VAR} references. */
final class Pipelines {
    private Pipelines() {}

    static PipelineLoader.Loaded loadAndCheck(Path file, List<String> sets) {
        return PipelineLoader.load(file, sets, System.getenv());
    }
}
