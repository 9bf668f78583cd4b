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

    /** The sink directory must not be an existing file. */
    static void checkDirectory(Options o, CompileContext ctx) {
        Path dir = ctx.baseDir().resolve(o.string("path")).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ctx.error(o.path("path"), dir + " is a file; the sink writes a directory");
        }
    }

    /** The sink directory as a file URI, relative paths against the pipeline's base directory. */
    static String directory(String dir, CompileContext ctx) {
        return ctx.baseDir().resolve(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
