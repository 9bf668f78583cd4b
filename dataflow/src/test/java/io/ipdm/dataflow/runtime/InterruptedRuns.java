package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
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

    /**
     * One pipeline run uninterrupted, stopped with a savepoint and resumed, and failed once and
     * restarted: the rows it leaves in its sinks must be the same each way. A test states only its
     * pipeline and how its rows are read back.
     *
     * @param load the pipeline writing under its first path, with its state under the second
     * @param rows the rows the sinks hold under a run's output path, in a comparable order
     * @param failingSource the source after whose {@code failAfter}-th row a task fails once
     */
    record Comparison(
            BiFunction<Path, Path, PipelineLoader.Loaded> load,
            Function<Path, List<String>> rows,
            String failingSource,
            long failAfter) {

        /** The reference rows: the pipeline run once, without interruption, under {@code base}. */
        List<String> uninterrupted(Path base) throws Exception {
            Path whole = base.resolve("whole");
            RunResult a =
                    run(
                            CompiledPipeline.compile(
                                    load.apply(whole, base.resolve("state-a")), base),
                            RunOptions.defaults());
            assertThat(a.outcome())
                    .as("failure: %s", a.failure())
                    .isEqualTo(RunResult.Outcome.FINISHED);
            return rows.apply(whole);
        }

        /**
         * Stops after {@code stopAfter}, before the end, resumes from the savepoint and checks the
         * rows equal {@code uninterrupted}.
         */
        void assertStopWithSavepointAndResumeEquals(
                List<String> uninterrupted, Path tmp, Duration stopAfter) throws Exception {
            Path split = tmp.resolve("split");
            int beforeResume =
                    stopWithSavepointAndResume(
                            load.apply(split, tmp.resolve("state-b")),
                            tmp,
                            stopAfter,
                            () -> rows.apply(split).size());
            assertThat(beforeResume).isLessThan(uninterrupted.size());
            assertThat(rows.apply(split)).isEqualTo(uninterrupted);
        }

        /**
         * Fails a task once mid-run and checks the restarted run's rows equal {@code
         * uninterrupted}.
         */
        void assertFailOnceAndRestartEquals(List<String> uninterrupted, Path tmp) throws Exception {
            Path failing = tmp.resolve("failing");
            failOnceAndFinish(
                    load.apply(failing, tmp.resolve("state-b")), tmp, failingSource, failAfter);
            assertThat(rows.apply(failing)).isEqualTo(uninterrupted);
        }
    }
}
