package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineGraph;
import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.expr.RowProjection;
import io.ipdm.operators.wasm.WasmOperators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * Pipeline graph -> Flink DataStream graph in two passes over {@link PipelineGraph#order()}, one
 * {@link Kind} per source, stage and sink kind (see {@link Kinds}).
 *
 * <ol>
 *   <li><b>Typing</b> computes the full schema of every stream and checks every expression, field
 *       name and option against it, collecting every mistake with its line and column; it builds
 *       nothing. It also records which fields each expression reads (from its checked syntax tree).
 *   <li><b>Emission</b>, only when typing found nothing, works out the fields each stream's
 *       consumers read ({@link FieldUsage}), drops the others where they are produced and builds
 *       the operators of every stream a sink reads.
 * </ol>
 */
public final class PipelineCompiler {
    /**
     * A system property: {@code false} turns predicate push-down into sources off (tests compare
     * the rows with it on and off; see {@link CompileContext#filterAfter}).
     */
    public static final String PUSHDOWN_PROPERTY = "ipdm.compile.pushdown";

    static boolean pushdownEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PUSHDOWN_PROPERTY, "true"));
    }

    private final CompileContext ctx;
    private final UnaryOperator<TypedStream> tap;
    private AttestTarget attest;
    private final Map<String, StreamType> types = new HashMap<>();
    private final Map<String, TypedStream> built = new LinkedHashMap<>();

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
     * @throws PipelineException with every mistake only visible with schemas (unknown fields,
     *     expression errors, bad option values)
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
        return compile(loaded, env, baseDir, tap, true);
    }

    /**
     * Like {@link #compile(PipelineLoader.Loaded, StreamExecutionEnvironment, Path,
     * UnaryOperator)}, attesting every windowed sink's windows at {@code attest} (null: none).
     *
     * @throws PipelineException also when attesting and no sink reads a window stage's output
     */
    public static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            AttestTarget attest) {
        return compile(loaded, env, baseDir, tap, attest, null);
    }

    /**
     * Like {@link #compile(PipelineLoader.Loaded, StreamExecutionEnvironment, Path, UnaryOperator,
     * AttestTarget)}, with the job's identity that state a job keeps outside Flink (database sinks'
     * staging tables) is scoped to; asked for only when a kind needs it (null: none, see {@link
     * CompileContext#jobScope()}).
     */
    public static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            AttestTarget attest,
            Supplier<String> jobScope) {
        env.getConfig().enableObjectReuse();
        return compile(loaded, env, baseDir, tap, true, attest, jobScope);
    }

    /** With {@code pruneFields} false: no projection push-down (tests compare the two). */
    static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            boolean pruneFields) {
        return compile(loaded, env, baseDir, tap, pruneFields, null, null);
    }

    private static Compiled compile(
            PipelineLoader.Loaded loaded,
            StreamExecutionEnvironment env,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            boolean pruneFields,
            AttestTarget attest,
            Supplier<String> jobScope) {
        CompileContext ctx =
                new CompileContext(loaded.graph(), loaded.sourceMap(), baseDir, loaded.file());
        ctx.jobScope(jobScope);
        PipelineCompiler c = new PipelineCompiler(ctx, tap);
        c.attest = attest;
        c.typeAll();
        if (attest != null && ctx.errors().isEmpty()) {
            c.checkAttestable();
        }
        if (!ctx.errors().isEmpty()) {
            throw new PipelineException(ctx.errors());
        }
        ctx.startEmission(
                env, pruneFields ? new FieldUsage(ctx.graph(), ctx::expressionFields) : null);
        c.emitAll();
        return new Compiled(Collections.unmodifiableMap(c.built));
    }

    /**
     * Checks a loaded pipeline against its schemas without building anything.
     *
     * @throws PipelineException with every mistake found
     */
    public static void check(PipelineLoader.Loaded loaded, Path baseDir) {
        CompileContext ctx =
                new CompileContext(loaded.graph(), loaded.sourceMap(), baseDir, loaded.file());
        new PipelineCompiler(ctx, UnaryOperator.identity()).typeAll();
        if (!ctx.errors().isEmpty()) {
            throw new PipelineException(ctx.errors());
        }
    }

    /** The field usage of a pipeline after typing, even a failed one (tests). */
    static FieldUsage usage(PipelineLoader.Loaded loaded, Path baseDir) {
        CompileContext ctx =
                new CompileContext(loaded.graph(), loaded.sourceMap(), baseDir, loaded.file());
        new PipelineCompiler(ctx, UnaryOperator.identity()).typeAll();
        return new FieldUsage(ctx.graph(), ctx::expressionFields);
    }

    static Options options(SourceSpec s, Kind kind) {
        return new Options(s.options(), kind.options(), "sources." + s.id() + ".options");
    }

    static Options options(SinkSpec s, Kind kind) {
        return new Options(s.options(), kind.options(), "sinks." + s.id() + ".options");
    }

    // ---- typing ----

    private void typeAll() {
        checkDirectories();
        for (PipelineGraph.Producer p : ctx.graph().order()) {
            try {
                StreamType t = type(p);
                if (t != null) {
                    types.put(p.id(), t);
                }
            } catch (PipelineException e) {
                ctx.report(e);
            }
        }
        for (SinkSpec sink : ctx.spec().sinks()) {
            StreamType in = types.get(sink.input());
            if (in == null) {
                continue; // its input has an error of its own
            }
            SinkKind kind = Kinds.SINKS.get(sink.kind());
            try {
                kind.check(sink, options(sink, kind), in, ctx);
            } catch (PipelineException e) {
                ctx.report(e);
            }
        }
    }

    /** The state and checkpoint directories must not be files (Flink fails late on those). */
    private void checkDirectories() {
        RuntimeSpec r = ctx.spec().runtime();
        if (r == null) {
            return;
        }
        Map<String, String> dirs = new LinkedHashMap<>();
        dirs.put("runtime.state_dir", r.stateDir());
        dirs.put("runtime.checkpoint_dir", r.checkpointDir());
        Set<Path> reported = new HashSet<>();
        for (Map.Entry<String, String> d : dirs.entrySet()) {
            if (d.getValue() == null) {
                continue;
            }
            Path dir = ctx.baseDir().resolve(d.getValue()).toAbsolutePath().normalize();
            // The directory or any parent being a file stops Flink from creating it.
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    if (!Files.isDirectory(p) && reported.add(p)) {
                        ctx.report(
                                ctx.error(
                                        d.getKey(),
                                        p
                                                + " is a file, but "
                                                + (p.equals(dir) ? "" : "a parent of ")
                                                + dir
                                                + " must be a directory (state and checkpoints are"
                                                + " written there)"));
                    }
                    break;
                }
            }
        }
    }

    private StreamType type(PipelineGraph.Producer p) {
        return switch (p) {
            case PipelineGraph.Source s -> {
                SourceKind kind = Kinds.SOURCES.get(s.spec().kind());
                RowTypeInfo t = kind.type(s.spec(), options(s.spec(), kind), ctx);
                SourceWatermarks.check(s.spec(), t, ctx);
                yield new StreamType(s.id(), t, List.of(), s.spec().eventTime());
            }
            case PipelineGraph.Stage s -> {
                List<StreamType> in = new ArrayList<>();
                for (String up : s.upstreams()) {
                    StreamType t = types.get(up);
                    if (t == null) {
                        yield null; // that input has an error of its own
                    }
                    in.add(t);
                }
                yield in.isEmpty() ? null : typeStage(s.spec(), in);
            }
            case PipelineGraph.SideOutput side -> {
                StreamType in = types.get(side.owner().input());
                if (in == null || !types.containsKey(side.owner().id())) {
                    yield null;
                }
                yield switch (side.kind()) {
                    case LATE_ROWS ->
                            new StreamType(side.id(), in.type(), List.of(), in.eventTime());
                    case DEAD_LETTERS ->
                            new StreamType(
                                    side.id(),
                                    deadLetterType(in.type()),
                                    List.of(),
                                    in.eventTime());
                };
            }
        };
    }

    private <S extends StageSpec> StreamType typeStage(S stage, List<StreamType> in) {
        return kind(stage).type(stage, in, ctx);
    }

    @SuppressWarnings("unchecked")
    private static <S extends StageSpec> StageKind<S> kind(S stage) {
        return (StageKind<S>) Kinds.STAGES.get(stage.kind());
    }

    /** The input's fields plus the error, as the WASM operator emits dead letters. */
    static RowTypeInfo deadLetterType(RowTypeInfo in) {
        List<TypeInformation<?>> types = new ArrayList<>(List.of(in.getFieldTypes()));
        List<String> names = new ArrayList<>(List.of(in.getFieldNames()));
        types.add(Types.STRING);
        names.add(WasmOperators.ERROR_FIELD);
        return new RowTypeInfo(
                types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }

    // ---- emission ----

    private void emitAll() {
        Set<String> read = readBySinks();
        for (PipelineGraph.Producer p : ctx.graph().order()) {
            if (!read.contains(p.id())) {
                continue;
            }
            TypedStream out =
                    switch (p) {
                        case PipelineGraph.Source s -> {
                            SourceKind kind = Kinds.SOURCES.get(s.spec().kind());
                            yield kind.emit(
                                    s.spec(),
                                    options(s.spec(), kind),
                                    types.get(s.id()).type(),
                                    ctx);
                        }
                        case PipelineGraph.Stage s ->
                                emitStage(
                                        s.spec(), s.upstreams().stream().map(built::get).toList());
                        case PipelineGraph.SideOutput side -> ctx.sideStream(side.id());
                    };
            built.put(p.id(), tap.apply(prune(out)));
        }
        for (SinkSpec sink : ctx.spec().sinks()) {
            TypedStream in = built.get(sink.input());
            if (attest != null && AttestTarget.attestable(in.fieldNames())) {
                Attestations.emit(sink, in, attest);
            }
            if (attest == null || !attest.sinksOff()) {
                SinkKind kind = Kinds.SINKS.get(sink.kind());
                kind.emit(sink, options(sink, kind), in, ctx);
            }
        }
    }

    /** Attesting needs at least one sink reading a window stage's output. */
    private void checkAttestable() {
        for (SinkSpec sink : ctx.spec().sinks()) {
            StreamType t = types.get(sink.input());
            if (t != null && AttestTarget.attestable(t.fieldNames())) {
                return;
            }
        }
        ctx.report(
                ctx.error(
                        "sinks",
                        "nothing to attest: attestations cover closed windows, and no sink reads a"
                                + " window stage's output (window_start, window_end)"));
    }

    private <S extends StageSpec> TypedStream emitStage(S stage, List<TypedStream> in) {
        return kind(stage).emit(stage, in, ctx);
    }

    /** The streams the sinks read and everything they are built from. */
    private Set<String> readBySinks() {
        Set<String> read = new HashSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        for (SinkSpec sink : ctx.spec().sinks()) {
            todo.add(sink.input());
        }
        while (!todo.isEmpty()) {
            String cur = todo.poll();
            if (cur != null && read.add(cur)) {
                PipelineGraph.Producer p = ctx.graph().producer(cur);
                if (p != null) {
                    todo.addAll(p.upstreams());
                }
            }
        }
        return read;
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
}
