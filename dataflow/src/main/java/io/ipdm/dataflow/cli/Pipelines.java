package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.FlinkConfig;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;

/** Loading as every subcommand does it: the process environment feeds ${VAR} references. */
final class Pipelines {
    private Pipelines() {}

    static Path cwd() {
        return Path.of("").toAbsolutePath();
    }

    static PipelineLoader.Loaded load(Path file, List<String> sets) {
        return PipelineLoader.load(file, sets, System.getenv());
    }

    /** Loads and compiles (without running), so schema and expression errors show too. */
    static LocalRunner.Plan plan(PipelineLoader.Loaded loaded) {
        return LocalRunner.plan(
                loaded,
                RunOptions.defaults(),
                cwd(),
                FlinkConfig.of(loaded.spec().runtime(), cwd()));
    }
}
