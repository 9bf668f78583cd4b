package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.StageSpec;

/** Turns one stage of a kind into Flink operators; operator uids derive from the stage id. */
public interface StageTranslator<S extends StageSpec> {
    TypedStream translate(S stage, TypedStream input, CompileContext ctx);
}
