package io.ipdm.dataflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What an exactly-once file sink has committed so far: its visible files' lines, sorted. */
final class CommittedLines {

    private CommittedLines() {}

    /** The committed lines under {@code out}, sorted (in-progress and pending files are hidden). */
    static List<String> of(Path out) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            List<String> lines = new ArrayList<>();
            for (Path f :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .toList()) {
                lines.addAll(Files.readAllLines(f));
            }
            return lines.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something was committed under {@code out}. */
    static void await(Path out, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (of(out).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no committed output in " + out + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Waits until a checkpoint of the job under {@code checkpointDir} completed. */
    static void awaitCheckpoint(Path checkpointDir, Object jobId, Duration timeout)
            throws InterruptedException {
        Path job = checkpointDir.resolve(jobId.toString());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(job)) {
                try (Stream<Path> dirs = Files.list(job)) {
                    if (dirs.anyMatch(d -> Files.exists(d.resolve("_metadata")))) {
                        return;
                    }
                } catch (IOException e) {
                    // the checkpoint directory is being written
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "no completed checkpoint of job " + jobId + " in " + checkpointDir + " in time");
    }
}
