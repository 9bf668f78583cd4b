package io.ipdm.dataflow.compile.sink;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.spec.SinkSpec;
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

    /** The sink directory as a file URI, relative paths against the pipeline's base directory. */
    static String directory(String dir, CompileContext ctx) {
        return ctx.baseDir().resolve(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
