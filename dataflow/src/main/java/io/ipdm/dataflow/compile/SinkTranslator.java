package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.SinkSpec;

/** Attaches the Flink sink of one sink kind to its input stream. */
public interface SinkTranslator {
    void translate(SinkSpec sink, TypedStream input, CompileContext ctx);
}
