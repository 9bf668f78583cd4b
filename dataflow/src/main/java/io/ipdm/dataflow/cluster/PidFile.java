package io.ipdm.dataflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pid file of one cluster process. A pid only counts as ours while the live process with that
 * pid still has our state directory on its command line, so a pid reused by the OS after a crash is
 * never signalled.
 */
public record PidFile(Path file, String marker) {

    public void write(long pid) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file " + file, e);
        }
    }

    public Optional<Long> pid() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process this file names, if it is still one we started. */
    public Optional<ProcessHandle> process() {
        return pid().flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    /**
     * Stops the process (SIGTERM, then SIGKILL after {@code grace}) and deletes the pid file.
     *
     * @return whether a running process was stopped
     */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> p = process();
        p.ifPresent(h -> terminate(h, grace));
        delete();
        return p.isPresent();
    }

    /** Kills the process at once, like {@code kill -9}; the pid file stays as a record. */
    public boolean kill() {
        Optional<ProcessHandle> p = process();
        p.ifPresent(
                h -> {
                    h.destroyForcibly();
                    h.onExit().join();
                });
        return p.isPresent();
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete pid file " + file, e);
        }
    }

    static void terminate(ProcessHandle h, Duration grace) {
        h.destroy();
        try {
            h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            h.destroyForcibly();
            h.onExit().join();
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
