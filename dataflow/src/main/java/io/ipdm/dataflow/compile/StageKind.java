package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.List;

/**
 * A stage kind: the YAML keys of its record, its output schema (typing) and its Flink operators
 * (emission). Operator uids derive from the stage id.
 *
 * @param <S> the stage's record
 */
public non-sealed interface StageKind<S extends StageSpec> extends Kind {
    /** The stage record this kind translates. */
    Class<S> specType();

    /** The keys a stage of this kind has besides {@code id}, {@code kind} and {@code input}. */
    List<OptionSpec> keys();

    /** Only the wasm stage has an {@code options:} map. */
    @Override
    default List<OptionSpec> options() {
        return List.of();
    }

    /**
     * Typing: the stage's output over an input of the full schema {@code input}. Every mistake is
     * reported ({@link CompileContext#report}) or thrown at its key path; nothing is built.
     */
    StreamType type(S stage, StreamType input, CompileContext ctx);

    /**
     * Emission: the stage's operators over {@code input}, whose schema may be narrower than in
     * typing (fields nobody reads are dropped) but holds every field the stage reads.
     */
    TypedStream emit(S stage, TypedStream input, CompileContext ctx);

    /**
     * Typing of a stage over every stream it reads ({@link StageSpec#inputs()}, in order); the
     * single-input typing unless the kind reads several (sql).
     */
    default StreamType type(S stage, List<StreamType> inputs, CompileContext ctx) {
        return type(stage, inputs.get(0), ctx);
    }

    /** Emission over every stream the stage reads, in {@link StageSpec#inputs()} order. */
    default TypedStream emit(S stage, List<TypedStream> inputs, CompileContext ctx) {
        return emit(stage, inputs.get(0), ctx);
    }
}
