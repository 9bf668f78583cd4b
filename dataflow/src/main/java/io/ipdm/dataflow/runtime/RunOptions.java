package io.ipdm.dataflow.runtime;

import java.time.Duration;

/**
 * How {@code ipdm run} runs a compiled pipeline.
 *
 * @param fromSavepoint savepoint or retained checkpoint to resume from, or null
 * @param savepointDir where a stop writes its savepoint, or null for {@code <state_dir>/savepoints}
 * @param stopAfter stop with a savepoint after this much wall-clock time, or null to run to the end
 * @param progress print the progress line on stderr
 * @param progressInterval how often the progress line refreshes
 */
public record RunOptions(
        String fromSavepoint,
        String savepointDir,
        Duration stopAfter,
        boolean progress,
        Duration progressInterval) {

    public static RunOptions defaults() {
        return new RunOptions(null, null, null, true, Duration.ofSeconds(2));
    }

    public RunOptions withFromSavepoint(String path) {
        return new RunOptions(path, savepointDir, stopAfter, progress, progressInterval);
    }

    public RunOptions withSavepointDir(String dir) {
        return new RunOptions(fromSavepoint, dir, stopAfter, progress, progressInterval);
    }

    public RunOptions withStopAfter(Duration d) {
        return new RunOptions(fromSavepoint, savepointDir, d, progress, progressInterval);
    }

    public RunOptions withProgress(boolean on) {
        return new RunOptions(fromSavepoint, savepointDir, stopAfter, on, progressInterval);
    }
}
