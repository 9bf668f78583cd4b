package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.SinkSpec;

/** A sink kind: checks against its input's schema (typing), then its Flink sink (emission). */
public non-sealed interface SinkKind extends Kind {
    /** Typing: throws {@link io.ipdm.dataflow.spec.PipelineException} for mistakes. */
    void check(SinkSpec sink, Options options, StreamType input, CompileContext ctx);

    /** Emission: attaches the sink to {@code input} with uid {@code sink-<id>}. */
    void emit(SinkSpec sink, Options options, TypedStream input, CompileContext ctx);
}
