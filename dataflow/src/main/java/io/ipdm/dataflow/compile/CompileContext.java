package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.yaml.Location;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What translators share: the environment, the spec, where keys were written, late outputs. */
public final class CompileContext {
    private final StreamExecutionEnvironment env;
    private final PipelineSpec spec;
    private final SourceMap sourceMap;
    private final Path baseDir;
    private final Path pipelineFile;
    private final Map<String, TypedStream> extraStreams = new HashMap<>();
    private final FieldUsage usage;

    CompileContext(
            StreamExecutionEnvironment env,
            PipelineSpec spec,
            SourceMap sourceMap,
            Path baseDir,
            Path pipelineFile,
            boolean pruneFields) {
        this.env = env;
        this.spec = spec;
        this.sourceMap = sourceMap;
        this.baseDir = baseDir;
        this.pipelineFile = pipelineFile;
        this.usage = pruneFields ? new FieldUsage(spec) : null;
    }

    /**
     * The fields of stream {@code id} that later stages and sinks read (a translator may emit only
     * these); null when all of them are, or when pruning is off.
     */
    public Set<String> neededFields(String id) {
        return usage == null ? null : usage.needed(id);
    }

    /** Whether the compiler should add an operator that drops the unread fields of {@code id}. */
    boolean worthPruning(String id) {
        return usage != null && usage.worthPruning(id);
    }

    public StreamExecutionEnvironment env() {
        return env;
    }

    public PipelineSpec spec() {
        return spec;
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

    /** A side stream (a window's late rows) that later parts may use as input. */
    public void addStream(String id, TypedStream stream) {
        extraStreams.put(id, stream);
    }

    TypedStream extraStream(String id) {
        return extraStreams.get(id);
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

    public static String uid(String id, String role) {
        return id + "-" + role;
    }
}
