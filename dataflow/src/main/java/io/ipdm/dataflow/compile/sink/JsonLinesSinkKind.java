package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.files.JsonLinesSink;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import java.util.List;

/** {@code kind: jsonl}: JSON Lines part files, committed on checkpoints. */
public final class JsonLinesSinkKind implements SinkKind {
    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String summary() {
        return "JSON Lines part files in a directory, exactly once with checkpoints";
    }

    @Override
    public List<OptionSpec> options() {
        return FileSinks.withTop(
                OptionSpec.required(
                        "path", Type.STRING, "the directory, relative to the working directory"));
    }

    @Override
    public void check(SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        FileSinks.requireCheckpoints(sink, ctx);
        FileSinks.checkDirectory(o, ctx);
        FileSinks.checkTop(o, input, ctx);
    }

    @Override
    public void emit(SinkSpec sink, Options o, TypedStream input, CompileContext ctx) {
        String dir = o.string("path");
        FileSinks.ranked(sink, o, input)
                .sinkTo(JsonLinesSink.create(FileSinks.directory(dir, ctx), input.fieldNames()))
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (jsonl " + dir + ")");
    }
}
