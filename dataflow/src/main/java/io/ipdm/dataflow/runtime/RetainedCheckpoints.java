package io.ipdm.dataflow.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints a job leaves in its {@code runtime.checkpoint_dir}: Flink writes {@code
 * <checkpoint_dir>/<job id>/chk-<n>/_metadata} once a checkpoint completed and keeps the newest
 * when the job is cancelled or its process dies ({@code RETAIN_ON_CANCELLATION}). After a crash
 * (kill -9, power loss) {@code ipdm run --from-latest-checkpoint} resumes from the newest of them.
 */
public final class RetainedCheckpoints {
    private RetainedCheckpoints() {}

    /**
     * The newest completed checkpoint under {@code checkpointDir} of any job (by the time its
     * {@code _metadata} was written, then by number), or empty when there is none.
     */
    public static Optional<Path> latest(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::completed)
                    .max(
                            Comparator.comparing(RetainedCheckpoints::written)
                                    .thenComparingLong(RetainedCheckpoints::number));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
        }
    }

    /** The newest checkpoint of a compiled pipeline (its resolved {@code checkpoint_dir}). */
    public static Optional<Path> latest(CompiledPipeline pipeline) {
        return latest(pipeline.baseDir().resolve(pipeline.spec().runtime().checkpointDir()));
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs
                    .filter(d -> d.getFileName().toString().matches("chk-\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .toList()
                    .stream();
        } catch (IOException e) {
            return Stream.empty(); // a job directory removed meanwhile
        }
    }

    private static FileTime written(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long number(Path chk) {
        return Long.parseLong(chk.getFileName().toString().substring(4));
    }
}
