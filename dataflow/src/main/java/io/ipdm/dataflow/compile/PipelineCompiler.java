package io.ipdm.dataflow.compile;

import io.ipdm.connectors.jdbc.Dialect;
import io.ipdm.dataflow.compile.sink.DatabaseSinkTranslator;
import io.ipdm.dataflow.compile.sink.GossipsubSinkTranslator;
import io.ipdm.dataflow.compile.sink.JsonLinesSinkTranslator;
import io.ipdm.dataflow.compile.sink.ParquetSinkTranslator;
import io.ipdm.dataflow.compile.sink.TerminalSinkTranslator;
import io.ipdm.dataflow.compile.source.GossipsubSourceTranslator;
import io.ipdm.dataflow.compile.source.SolanaSourceTranslator;
import io.ipdm.dataflow.compile.stage.ExplodeTranslator;
import io.ipdm.dataflow.compile.stage.FilterTranslator;
import io.ipdm.dataflow.compile.stage.KeyByTranslator;
import io.ipdm.dataflow.compile.stage.ProjectTranslator;
import io.ipdm.dataflow.compile.stage.WasmTranslator;
import io.ipdm.dataflow.compile.stage.WindowTranslator;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.expr.RowProjection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * Spec -> Flink DataStream graph, one translator per source, stage and sink kind. Streams are built
 * on demand from sinks back to sources, so each part is translated once, in dependency order.
 * Adding a kind: a translator here and its name in {@link io.ipdm.dataflow.spec.Kinds}.
 */
public final class PipelineCompiler {
    private static final Map<String, SourceTranslator> SOURCES =
            Map.of(
                    "solana-synthetic", new SolanaSourceTranslator(),
                    "solana-replay", new SolanaSourceTranslator(),
                    "solana-rpc", new SolanaSourceTranslator(),
                    "gossipsub", new GossipsubSourceTranslator());
    private static final Map<String, SinkTranslator> SINKS =
            Map.of(
                    "terminal",
                    new TerminalSinkTranslator(),
                    "jsonl",
                    new JsonLinesSinkTranslator(),
                    "gossipsub",
                    new GossipsubSinkTranslator(),
                    "parquet",
                    new ParquetSinkTranslator(),
                    "postgres",
                    new DatabaseSinkTranslator(Dialect.POSTGRES),
                    "duckdb",
                    new DatabaseSinkTranslator(Dialect.DUCKDB));

    private final CompileContext ctx;
    private final Map<String, Object> producers = new LinkedHashMap<>();
    private final Map<String, TypedStream> built = new LinkedHashMap<>();

    private final UnaryOperator<TypedStream> tap;

    private PipelineCompiler(CompileContext ctx, UnaryOperator<TypedStream> tap) {
        this.ctx = ctx;
        this.tap = tap;
    }

    /** Every stream of a compiled pipeline, by id, in the order they were built. */
    public record Compiled(Map<String, TypedStream> streams) {}

    /**
     * Adds the pipeline's operators to {@code env}. Relative paths in options resolve against
     * {@code baseDir}.
     *
     * @throws io.ipdm.dataflow.spec.PipelineException for mistakes only visible with schemas
     *     (unknown fields, expression errors, bad options)
     */
    public static Compiled compile(
            PipelineLoader.Loaded loaded, StreamExecutionEnvironment env, Path baseDir) {
        return compile(loaded, env, baseDir, UnaryOperator.identity());
    }

    /**
     * Like {@link #compile(PipelineLoader.Loaded, StreamExecutionEnvironment, Path)}, passing every
     * stream through {@code tap} before its consumers see it (tests add failure injection there).
     */
    public static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap) {
        // Every built-in source and operator emits a new row per record and never changes a row it
        // was given, so chained operators may share rows without Flink's defensive copy.
        env.getConfig().enableObjectReuse();
        try {
            return compile(loaded, env, baseDir, tap, true);
        } catch (PipelineException e) {
            // Report mistakes against the full schemas (known fields, suggestions), as written.
            compile(loaded, new StreamExecutionEnvironment(), baseDir, tap, false);
            throw e;
        }
    }

    /** With {@code pruneFields} false: no projection push-down (tests compare the two). */
    static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            boolean pruneFields) {
        CompileContext ctx =
                new CompileContext(
                        env,
                        loaded.spec(),
                        loaded.sourceMap(),
                        baseDir,
                        loaded.file(),
                        pruneFields);
        PipelineCompiler c = new PipelineCompiler(ctx, tap);
        for (SourceSpec s : loaded.spec().sources()) {
            c.producers.put(s.id(), s);
        }
        for (StageSpec s : loaded.spec().stages()) {
            c.producers.put(s.id(), s);
        }
        for (SinkSpec sink : loaded.spec().sinks()) {
            TypedStream in = c.stream(sink.input());
            SinkTranslator t = SINKS.get(sink.kind());
            if (t == null) {
                throw ctx.error(
                        "sinks." + sink.id() + ".kind",
                        "sink kind '" + sink.kind() + "' is not available in this build");
            }
            t.translate(sink, in, ctx);
        }
        return new Compiled(java.util.Collections.unmodifiableMap(c.built));
    }

    private TypedStream stream(String id) {
        TypedStream done = built.get(id);
        if (done != null) {
            return done;
        }
        Object p = producers.get(id);
        TypedStream out;
        if (p instanceof SourceSpec s) {
            out = SOURCES.get(s.kind()).translate(s, ctx);
        } else if (p instanceof StageSpec s) {
            out = translate(s, stream(s.input()));
        } else {
            // A window's late output: building the window registers it.
            for (StageSpec s : ctx.spec().stages()) {
                if (s instanceof StageSpec.Window w && id.equals(w.window().lateOutput())) {
                    stream(w.id());
                }
            }
            out = ctx.extraStream(id);
        }
        out = tap.apply(prune(out));
        built.put(id, out);
        return out;
    }

    /**
     * Projection push-down: after a source and before a window's shuffle, drops the fields no later
     * stage or sink reads, in an operator chained to the producer (stages that can, like explode,
     * emit narrow rows themselves).
     */
    private TypedStream prune(TypedStream s) {
        Set<String> needed = ctx.neededFields(s.id());
        if (needed == null || !ctx.worthPruning(s.id())) {
            return s;
        }
        Map<String, String> keep = new LinkedHashMap<>();
        for (String f : s.fieldNames()) {
            if (needed.contains(f)) {
                keep.put(f, f);
            }
        }
        if (keep.size() == s.type().getArity()) {
            return s;
        }
        if (keep.isEmpty()) {
            // Rows still count (a window's count): keep the smallest row Flink can carry.
            keep.put(s.fieldNames().get(0), s.fieldNames().get(0));
        }
        RowProjection p = RowProjection.of(keep, s.type());
        DataStream<Row> out =
                s.stream()
                        .map(p)
                        .returns(p.outputType())
                        .uid(CompileContext.uid(s.id(), "prune"))
                        .name(s.id() + ": keep " + keep.keySet());
        return new TypedStream(s.id(), out, p.outputType(), s.keyFields(), s.eventTime());
    }

    private TypedStream translate(StageSpec stage, TypedStream input) {
        return switch (stage) {
            case StageSpec.Filter f -> new FilterTranslator().translate(f, input, ctx);
            case StageSpec.Project p -> new ProjectTranslator().translate(p, input, ctx);
            case StageSpec.Explode e -> new ExplodeTranslator().translate(e, input, ctx);
            case StageSpec.KeyBy k -> new KeyByTranslator().translate(k, input, ctx);
            case StageSpec.Window w -> new WindowTranslator().translate(w, input, ctx);
            case StageSpec.Wasm w -> new WasmTranslator().translate(w, input, ctx);
        };
    }
}
