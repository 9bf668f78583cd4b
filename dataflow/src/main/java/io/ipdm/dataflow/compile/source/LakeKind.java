package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.lakes.LakesSource;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.SourceWatermarks;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.multiformats.Cid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: lake}: the rows of window archives in Lava Lakes by root CID (what a {@code
 * gossipsub} sink with {@code publish: lake_roots} wrote), back into rows with the fields they were
 * written with (bounded). The types come from the stored values, read when the job is compiled.
 * With {@code verified_only: true} only roots the node ({@code verify_node}) says are verified are
 * read; disputed ones, and ones still pending after {@code verify_timeout}, are not.
 */
public final class LakeKind implements SourceKind {
    @Override
    public String name() {
        return "lake";
    }

    @Override
    public String summary() {
        return "rows of window archives in Lava Lakes, by root CID (bounded)";
    }

    @Override
    public boolean readsTable() {
        return false;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new java.util.ArrayList<>();
        out.add(OptionSpec.required("lake", Type.STRING, "the Lava Lakes directory"));
        out.add(
                OptionSpec.required(
                        "roots", Type.LIST, "window root CIDs (all of one query: same fields)"));
        out.addAll(VerifyOptions.specs("read a window root"));
        return out;
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        VerifyOptions.refuseUnused(o, ctx);
        try {
            return LakesSource.windowType(lake(o, ctx), roots(o, ctx));
        } catch (RuntimeException e) {
            throw ctx.error(o.path("roots"), e.getMessage());
        }
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        LakesSource lake =
                o.bool("verified_only")
                        ? LakesSource.verifiedWindows(
                                lake(o, ctx),
                                roots(o, ctx),
                                type,
                                new LakesSource.Verify(
                                        VerifyOptions.node(o, ctx),
                                        java.time.Duration.ofSeconds(1),
                                        o.duration("verify_timeout")))
                        : LakesSource.windows(lake(o, ctx), roots(o, ctx), type);
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(
                                ReportingSource.of(lake),
                                SourceWatermarks.of(source, type, ctx),
                                source.id(),
                                type)
                        .uid(CompileContext.uid(source.id(), "source"));
        return new TypedStream(source.id(), stream, type, List.of(), source.eventTime());
    }

    private static String lake(Options o, CompileContext ctx) {
        Path dir = ctx.baseDir().resolve(o.string("lake")).normalize();
        if (!Files.isDirectory(dir)) {
            throw ctx.error(o.path("lake"), "no lake directory at " + dir);
        }
        return dir.toString();
    }

    private static List<String> roots(Options o, CompileContext ctx) {
        List<String> roots = o.list("roots");
        for (String r : roots) {
            try {
                Cid.parse(r);
            } catch (RuntimeException e) {
                throw ctx.error(o.path("roots"), "'" + r + "' is not a CID: " + e.getMessage());
            }
        }
        return roots;
    }
}
