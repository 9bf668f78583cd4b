package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineGraph;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.yaml.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What kinds share in both passes: the spec and its graph, where keys were written, the base
 * directories; in typing the errors found so far and the fields each expression reads; in emission
 * the environment, the field usage and the side streams.
 */
public final class CompileContext {
    private final PipelineGraph graph;
    private final SourceMap sourceMap;
    private final Path baseDir;
    private final Path pipelineFile;
    private final List<PipelineError> errors = new ArrayList<>();
    private final Map<String, Set<String>> expressionFields = new HashMap<>();
    private final Map<String, TypedStream> sideStreams = new HashMap<>();
    private StreamExecutionEnvironment env;
    private FieldUsage usage;
    private Supplier<String> jobScope;
    private String jobScopeValue;

    CompileContext(PipelineGraph graph, SourceMap sourceMap, Path baseDir, Path pipelineFile) {
        this.graph = graph;
        this.sourceMap = sourceMap;
        this.baseDir = baseDir;
        this.pipelineFile = pipelineFile;
    }

    /** Where {@link #jobScope()} comes from (null: the pipeline was compiled without one). */
    void jobScope(Supplier<String> scope) {
        this.jobScope = scope;
    }

    /**
     * The job's identity (its content id) that state a job keeps outside Flink is scoped to, so two
     * jobs do not take each other's (database sinks name their staging tables with it). Computed on
     * first use (it hashes the job's local inputs); empty when the pipeline was compiled without
     * one (tests that build a stream graph directly).
     */
    public String jobScope() {
        if (jobScopeValue == null) {
            String v = jobScope == null ? null : jobScope.get();
            jobScopeValue = v == null ? "" : v;
        }
        return jobScopeValue;
    }

    /** Switches to emission. */
    void startEmission(StreamExecutionEnvironment env, FieldUsage usage) {
        this.env = env;
        this.usage = usage;
    }

    /** The environment operators are added to; only in emission. */
    public StreamExecutionEnvironment env() {
        if (env == null) {
            throw new IllegalStateException("the typing pass builds no operators");
        }
        return env;
    }

    public PipelineSpec spec() {
        return graph.spec();
    }

    public PipelineGraph graph() {
        return graph;
    }

    /**
     * In emission, the fields of stream {@code id} that later stages and sinks read (a kind may
     * emit only these); null when all of them are, or when pruning is off.
     */
    public Set<String> neededFields(String id) {
        return usage == null ? null : usage.needed(id);
    }

    /**
     * Predicate push-down: in emission, the filter stage that is the only reader of source {@code
     * id}'s rows (no other stage, no sink), whose condition the source may apply while it decodes;
     * null when there is none or push-down is off ({@value PipelineCompiler#PUSHDOWN_PROPERTY}
     * {@code =false}). The stage stays in the job: what a source applies must drop only rows the
     * stage drops too.
     */
    public StageSpec.Filter filterAfter(String id) {
        if (env == null || !PipelineCompiler.pushdownEnabled()) {
            return null;
        }
        List<StageSpec> readers = graph.stagesReading(id);
        if (readers.size() != 1
                || !graph.sinksReading(id).isEmpty()
                || !graph.sideOutputsOf(id).isEmpty()
                || !(readers.get(0) instanceof StageSpec.Filter f)
                || !id.equals(f.input())) {
            return null;
        }
        return f;
    }

    /** Whether the compiler should add an operator that drops the unread fields of {@code id}. */
    boolean worthPruning(String id) {
        return usage != null && usage.worthPruning(id);
    }

    /** Typing: records the fields the expression at {@code path} reads. */
    public void expressionReads(String path, Set<String> fields) {
        expressionFields.put(path, Set.copyOf(fields));
    }

    /** The fields the expression at {@code path} reads; null when unknown (read everything). */
    Set<String> expressionFields(String path) {
        return expressionFields.get(path);
    }

    /** Typing: records a mistake and goes on (to report every mistake at once). */
    public void report(PipelineException e) {
        errors.addAll(e.errors());
    }

    List<PipelineError> errors() {
        return errors;
    }

    /** The directory relative paths in options are resolved against (the working directory). */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * The directory module paths resolve against: the pipeline file's own directory, so a job and
     * its modules move together and run from any working directory; {@link #baseDir()} for
     * pipelines parsed from text.
     */
    public Path moduleDir() {
        if (pipelineFile == null) {
            return baseDir;
        }
        Path parent = pipelineFile.toAbsolutePath().getParent();
        return parent == null ? baseDir : parent;
    }

    /** Emission: a side stream (late rows, dead letters) of the stage being emitted. */
    public void addSideStream(String id, TypedStream stream) {
        sideStreams.put(id, stream);
    }

    TypedStream sideStream(String id) {
        return sideStreams.get(id);
    }

    /** An error at a key path of the pipeline file. */
    public PipelineException error(String path, String message) {
        return new PipelineException(sourceMap.error(path, message));
    }

    /**
     * An error inside an expression: the position inside the expression (1-based line and column)
     * is added to where the expression starts in the file.
     */
    public PipelineException expressionError(String path, int line, int column, String message) {
        Location at = sourceMap.get(path);
        Location exact = at;
        if (at.line() > 0 && column > 0) {
            exact =
                    line > 1
                            ? new Location(at.file(), at.line() + line - 1, column)
                            : new Location(at.file(), at.line(), at.column() + column - 1);
        }
        return new PipelineException(new PipelineError(exact, path, message));
    }

    /**
     * An error inside a text whose every line starts at the column of the value at {@code path} (a
     * YAML block scalar, or a one-line value): its 1-based {@code line} and {@code column} there.
     */
    public PipelineException blockError(String path, int line, int column, String message) {
        Location at = sourceMap.get(path);
        Location exact =
                at.line() > 0 && line > 0 && column > 0
                        ? new Location(at.file(), at.line() + line - 1, at.column() + column - 1)
                        : at;
        return new PipelineException(new PipelineError(exact, path, message));
    }

    public static String uid(String id, String role) {
        return id + "-" + role;
    }
}
