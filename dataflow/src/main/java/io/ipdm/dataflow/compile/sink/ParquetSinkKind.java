package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.files.ParquetCodecs;
import io.ipdm.connectors.files.ParquetSink;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.types.Row;

/**
 * {@code kind: parquet}: Parquet part files (schema from the input's row type), committed on
 * checkpoints.
 */
public final class ParquetSinkKind implements SinkKind {
    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public String summary() {
        return "Parquet part files in a directory, exactly once with checkpoints";
    }

    @Override
    public List<OptionSpec> options() {
        return FileSinks.withTop(
                OptionSpec.required(
                        "path", Type.STRING, "the directory, relative to the working directory"),
                OptionSpec.of(
                        "compression",
                        Type.STRING,
                        "snappy",
                        String.join(", ", ParquetCodecs.NAMES)));
    }

    @Override
    public void check(SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        String compression = o.string("compression");
        if (!ParquetCodecs.NAMES.contains(compression)) {
            throw ctx.error(
                    o.path("compression"),
                    "unknown compression '"
                            + compression
                            + "'; allowed: "
                            + String.join(", ", ParquetCodecs.NAMES));
        }
        FileSinks.requireCheckpoints(sink, ctx);
        FileSinks.checkDirectory(o, ctx);
        FileSinks.checkTop(o, input, ctx);
        try {
            ParquetSink.create(
                    FileSinks.directory(o.string("path"), ctx), input.type(), compression);
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    "sinks." + sink.id() + ".input",
                    "stream '" + input.id() + "': " + e.getMessage());
        }
    }

    @Override
    public void emit(SinkSpec sink, Options o, TypedStream input, CompileContext ctx) {
        String dir = o.string("path");
        FileSink<Row> files =
                ParquetSink.create(
                        FileSinks.directory(dir, ctx), input.type(), o.string("compression"));
        FileSinks.ranked(sink, o, input)
                .sinkTo(files)
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (parquet " + dir + ")");
    }
}
