package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Runs a pipeline on an embedded MiniCluster interrupted, then restored, to its end: stopped with a
 * savepoint and resumed from it, or with one task failure and a restart from the last checkpoint.
 * Tests compare what the sinks hold afterwards with an uninterrupted run.
 */
final class InterruptedRuns {
    private InterruptedRuns() {}

    static RunResult run(CompiledPipeline pipeline, RunOptions options) throws Exception {
        try (LocalRunner runner = new LocalRunner(pipeline, options.withProgress(false))) {
            runner.start();
            return runner.await();
        }
    }

    /**
     * Stops the run with a savepoint after {@code stopAfter}, then resumes from that savepoint to
     * the end.
     *
     * @param rowsSoFar counts the rows the sinks hold
     * @return the rows the sinks held when the first run stopped
     */
    static int stopWithSavepointAndResume(
            PipelineLoader.Loaded loaded, Path base, Duration stopAfter, IntSupplier rowsSoFar)
            throws Exception {
        RunResult first =
                run(
                        CompiledPipeline.compile(loaded, base),
                        RunOptions.defaults().withStopAfter(stopAfter));
        assertThat(first.outcome())
                .as("failure: %s", first.failure())
                .isEqualTo(RunResult.Outcome.STOPPED);
        assertThat(first.savepoint()).isNotNull();
        int beforeResume = rowsSoFar.getAsInt();
        RunResult second =
                run(
                        CompiledPipeline.compile(loaded, base),
                        RunOptions.defaults().withFromSavepoint(first.savepoint()));
        assertThat(second.outcome())
                .as("failure: %s", second.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        return beforeResume;
    }

    /**
     * Runs to the end with one task failure after {@code after} rows of source {@code sourceId}
     * (the job restarts from its last checkpoint), and checks the failure happened.
     */
    static void failOnceAndFinish(
            PipelineLoader.Loaded loaded, Path base, String sourceId, long after) throws Exception {
        FailOnce.arm();
        RunResult r =
                run(
                        CompiledPipeline.compile(
                                loaded, base, FailOnce.afterSource(sourceId, after)),
                        RunOptions.defaults());
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(FailOnce.failed()).isTrue();
    }
}
