package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.compile.AttestTarget;
import io.ipdm.dataflow.compile.PipelineCompiler;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A pipeline compiled into Flink's stream graph: the one thing {@code ipdm run} ({@link
 * LocalRunner}), {@code ipdm submit} ({@code JobSubmitter}), {@code ipdm explain}, {@code ipdm
 * validate}, the job jar and the tests' runners start from. Compiling it surfaces every mistake
 * only visible with schemas, so whatever holds one has a graph that will be submitted unchanged.
 *
 * @param loaded the parsed, checked and normalised pipeline
 * @param compiled every stream the compiler built, by id
 * @param graph Flink's stream graph, named after the pipeline
 * @param config the pipeline's {@code runtime:} block as Flink configuration
 * @param baseDir the directory relative paths (options, state, savepoints) resolve against
 */
public record CompiledPipeline(
        PipelineLoader.Loaded loaded,
        PipelineCompiler.Compiled compiled,
        StreamGraph graph,
        Configuration config,
        Path baseDir) {

    /**
     * Loads {@code file} (with {@code ${VAR}} values from {@code env} and {@code --set} overrides)
     * and compiles it.
     *
     * @throws io.ipdm.dataflow.spec.PipelineException for every mistake in the file
     */
    public static CompiledPipeline load(
            Path file, List<String> sets, Map<String, String> env, Path baseDir) {
        return compile(PipelineLoader.load(file, sets, env), baseDir);
    }

    /**
     * Compiles a loaded pipeline.
     *
     * @throws io.ipdm.dataflow.spec.PipelineException for mistakes only visible with schemas
     */
    public static CompiledPipeline compile(PipelineLoader.Loaded loaded, Path baseDir) {
        return compile(loaded, baseDir, UnaryOperator.identity());
    }

    /**
     * Compiles a loaded pipeline, passing every built stream through {@code tap} (tests use it to
     * inject failures).
     */
    public static CompiledPipeline compile(
            PipelineLoader.Loaded loaded, Path baseDir, UnaryOperator<TypedStream> tap) {
        return compile(loaded, baseDir, tap, null);
    }

    /**
     * Compiles a loaded pipeline whose windowed sinks attest their windows at {@code attest} (null:
     * none; see {@link AttestTarget}).
     */
    public static CompiledPipeline compile(
            PipelineLoader.Loaded loaded,
            Path baseDir,
            UnaryOperator<TypedStream> tap,
            AttestTarget attest) {
        Path base = baseDir.toAbsolutePath();
        Configuration config = FlinkConfig.of(loaded.spec().runtime(), base);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // two jobs writing one database table must not share staging tables: scoped by identity
        PipelineCompiler.Compiled compiled =
                PipelineCompiler.compile(
                        loaded,
                        env,
                        base,
                        tap,
                        attest,
                        () ->
                                loaded.tree() == null
                                        ? null
                                        : identity(loaded, base).cid().toString());
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(loaded.spec().name());
        return new CompiledPipeline(loaded, compiled, graph, config, base);
    }

    public PipelineSpec spec() {
        return loaded.spec();
    }

    /**
     * The job's content id and definition ({@link JobIdentity}); reads the modules and hashes the
     * local input files it names.
     */
    public JobIdentity identity() {
        return identity(loaded, baseDir);
    }

    private static JobIdentity identity(PipelineLoader.Loaded loaded, Path baseDir) {
        Path moduleDir = baseDir;
        if (loaded.file() != null && loaded.file().toAbsolutePath().getParent() != null) {
            moduleDir = loaded.file().toAbsolutePath().getParent();
        }
        return JobIdentity.of(loaded, baseDir, moduleDir);
    }

    /** A savepoint location given by the user, resolved by {@link SavepointLocations}. */
    public String savepointLocation(String given) {
        return SavepointLocations.resolve(given, baseDir);
    }
}
