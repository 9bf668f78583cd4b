package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.files.ParquetCodecs;
import io.ipdm.connectors.files.ParquetSink;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SinkSpec;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.types.Row;

/**
 * {@code kind: parquet}: Parquet part files (schema from the input's row type), committed on
 * checkpoints.
 */
public final class ParquetSinkTranslator implements SinkTranslator {
    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        String dir = o.string("path", null);
        String compression = o.string("compression", "snappy");
        o.checkKnown();
        if (!ParquetCodecs.NAMES.contains(compression)) {
            throw ctx.error(
                    path + ".compression",
                    "unknown compression '"
                            + compression
                            + "'; allowed: "
                            + String.join(", ", ParquetCodecs.NAMES));
        }
        FileSinks.requireCheckpoints(sink, ctx);
        FileSink<Row> files;
        try {
            files = ParquetSink.create(FileSinks.directory(dir, ctx), input.type(), compression);
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    "sinks." + sink.id() + ".input",
                    "stream '" + input.id() + "': " + e.getMessage());
        }
        input.stream()
                .sinkTo(files)
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (parquet " + dir + ")");
    }
}
