package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.compile.TypedStream;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * How {@code ipdm run} runs a pipeline.
 *
 * @param fromSavepoint savepoint or retained checkpoint to resume from, or null
 * @param savepointDir where a stop writes its savepoint, or null for {@code <state_dir>/savepoints}
 * @param stopAfter stop with a savepoint after this much wall-clock time, or null to run to the end
 * @param progress print the progress line on stderr
 * @param progressInterval how often the progress line refreshes
 * @param tap applied to every compiled stream (tests use it to inject failures); identity in use
 * @param metrics where to serve Prometheus metrics, or null for nowhere
 */
public record RunOptions(
        String fromSavepoint,
        String savepointDir,
        Duration stopAfter,
        boolean progress,
        Duration progressInterval,
        UnaryOperator<TypedStream> tap,
        PrometheusEndpoint metrics) {

    public static RunOptions defaults() {
        return new RunOptions(
                null, null, null, true, Duration.ofSeconds(1), UnaryOperator.identity(), null);
    }

    public RunOptions withMetrics(PrometheusEndpoint endpoint) {
        return new RunOptions(
                fromSavepoint, savepointDir, stopAfter, progress, progressInterval, tap, endpoint);
    }

    public RunOptions withFromSavepoint(String path) {
        return new RunOptions(
                path, savepointDir, stopAfter, progress, progressInterval, tap, metrics);
    }

    public RunOptions withSavepointDir(String dir) {
        return new RunOptions(
                fromSavepoint, dir, stopAfter, progress, progressInterval, tap, metrics);
    }

    public RunOptions withStopAfter(Duration d) {
        return new RunOptions(
                fromSavepoint, savepointDir, d, progress, progressInterval, tap, metrics);
    }

    public RunOptions withProgress(boolean on) {
        return new RunOptions(
                fromSavepoint, savepointDir, stopAfter, on, progressInterval, tap, metrics);
    }

    public RunOptions withTap(UnaryOperator<TypedStream> t) {
        return new RunOptions(
                fromSavepoint, savepointDir, stopAfter, progress, progressInterval, t, metrics);
    }
}
