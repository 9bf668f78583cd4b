package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.files.JsonLinesSink;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SinkSpec;
import java.time.Duration;

/** {@code kind: jsonl}: JSON Lines part files, committed on checkpoints. */
public final class JsonLinesSinkTranslator implements SinkTranslator {
    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        String dir = o.string("path", null);
        o.checkKnown();
        FileSinks.requireCheckpoints(sink, ctx);
        String resolved =
                ctx.baseDir().resolve(dir).toAbsolutePath().normalize().toUri().toString();
        input.stream()
                .sinkTo(JsonLinesSink.create(resolved, input.fieldNames()))
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (jsonl " + dir + ")");
    }

    /** Checks shared by the file sinks. */
    static final class FileSinks {
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
    }
}
