package io.ipdm.dataflow.compile.sink;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.spec.SinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Checks shared by the file sinks. */
final class FileSinks {
    private FileSinks() {}

    static void requireCheckpoints(SinkSpec sink, CompileContext ctx) {
        Duration interval = ctx.spec().runtime().checkpointInterval();
        if (interval.isZero()) {
            throw ctx.error(
                    "sinks." + sink.id() + ".kind",
                    "a "
                            + sink.kind()
                            + " sink commits its files on checkpoints; set"
                            + " runtime.checkpoint_interval above 0");
        }
    }

    /**
     * The sink directory must be one the job can create or write: not a file, not under a file, and
     * its nearest existing directory writable (else Flink fails seconds into the run).
     */
    static void checkDirectory(Options o, CompileContext ctx) {
        Path dir = ctx.baseDir().resolve(o.string("path")).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ctx.error(o.path("path"), dir + " is a file; the sink writes a directory");
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw ctx.error(
                    o.path("path"),
                    "cannot create "
                            + dir
                            + ": "
                            + existing
                            + " is a file; choose a path under a directory");
        }
        if (!Files.isWritable(existing)) {
            throw ctx.error(
                    o.path("path"),
                    "cannot "
                            + (existing.equals(dir) ? "write to " : "create ")
                            + dir
                            + ": "
                            + existing
                            + " is not writable; choose a writable directory");
        }
    }

    /** The sink directory as a file URI, relative paths against the pipeline's base directory. */
    static String directory(String dir, CompileContext ctx) {
        return ctx.baseDir().resolve(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
