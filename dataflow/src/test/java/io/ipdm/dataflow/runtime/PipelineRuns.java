package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a YAML pipeline text on an embedded MiniCluster, as `ipdm run` does, to completion. */
public final class PipelineRuns {
    private PipelineRuns() {}

    /**
     * Parses {@code yaml} with {@code ${VAR}} values and runs it to its end, however it ends (the
     * failure is the one {@code ipdm run} reports).
     */
    public static RunResult run(String yaml, String fileName, Map<String, String> vars, Path tmp)
            throws Exception {
        PipelineLoader.Loaded loaded = PipelineLoader.parse(yaml, fileName, List.of(), vars);
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(loaded, tmp),
                        RunOptions.defaults().withProgress(false))) {
            runner.start();
            return runner.await();
        }
    }

    /** {@link #run}, asserting it finished. */
    static RunResult runToCompletion(
            String yaml, String fileName, Map<String, String> vars, Path tmp) throws Exception {
        RunResult result = run(yaml, fileName, vars, tmp);
        assertThat(result.outcome())
                .as(
                        "failure: %s",
                        org.apache.flink.util.ExceptionUtils.stringifyException(
                                result.failure() == null
                                        ? new Exception("none")
                                        : result.failure()))
                .isEqualTo(RunResult.Outcome.FINISHED);
        return result;
    }
}
