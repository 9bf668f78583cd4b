package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.files.JsonLinesSink;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SinkSpec;

/** {@code kind: jsonl}: JSON Lines part files, committed on checkpoints. */
public final class JsonLinesSinkTranslator implements SinkTranslator {
    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        String dir = o.string("path", null);
        o.checkKnown();
        FileSinks.requireCheckpoints(sink, ctx);
        input.stream()
                .sinkTo(JsonLinesSink.create(FileSinks.directory(dir, ctx), input.fieldNames()))
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (jsonl " + dir + ")");
    }
}
