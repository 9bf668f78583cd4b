package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** The Solana source kinds: replay of getBlock files, synthetic chain, live RPC. */
public final class SolanaSourceTranslator implements SourceTranslator {
    @Override
    public TypedStream translate(SourceSpec source, CompileContext ctx) {
        String base = "sources." + source.id();
        SolanaTable table;
        try {
            table = SolanaTable.fromName(source.table());
        } catch (IllegalArgumentException e) {
            throw ctx.error(base + ".table", e.getMessage());
        }
        Options o = new Options(source.options(), base + ".options", ctx);
        SolanaSourceDefinition def =
                switch (source.kind()) {
                    case "solana-replay" -> replay(o, table, base, ctx);
                    default ->
                            throw ctx.error(
                                    base + ".kind",
                                    "source kind '"
                                            + source.kind()
                                            + "' is not available in this build yet");
                };
        o.checkKnown();
        WatermarkStrategy<Row> watermarks = watermarks(source, def, ctx);
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(def.source(), watermarks, source.id(), def.rowType())
                        .uid(CompileContext.uid(source.id(), "source"));
        return new TypedStream(source.id(), stream, def.rowType(), List.of(), source.eventTime());
    }

    private static SolanaSourceDefinition replay(
            Options o, SolanaTable table, String base, CompileContext ctx) {
        String raw = o.string("path", null);
        List<Path> paths = new ArrayList<>();
        for (String p : raw.split(",")) {
            Path path = ctx.baseDir().resolve(p.strip()).normalize();
            if (!Files.exists(path)) {
                throw ctx.error(base + ".options.path", "no such file or directory: " + path);
            }
            paths.add(path);
        }
        return SolanaSources.replay(paths, table);
    }

    private static WatermarkStrategy<Row> watermarks(
            SourceSpec source, SolanaSourceDefinition def, CompileContext ctx) {
        EventTimeSpec et = source.eventTime();
        if (et == null) {
            return WatermarkStrategy.noWatermarks();
        }
        String path =
                et.equals(ctx.spec().eventTime())
                        ? "event_time.field"
                        : "sources." + source.id() + ".event_time.field";
        EventTimeUnit unit =
                et.unit() == EventTimeSpec.TimeUnit.MILLISECONDS
                        ? EventTimeUnit.MILLIS
                        : EventTimeUnit.SECONDS;
        try {
            return EventTimeWatermarks.forField(
                    def.rowType(), et.field(), unit, et.maxOutOfOrderness(), et.idleness());
        } catch (IllegalArgumentException e) {
            throw ctx.error(path, "source '" + source.id() + "': " + e.getMessage());
        }
    }
}
