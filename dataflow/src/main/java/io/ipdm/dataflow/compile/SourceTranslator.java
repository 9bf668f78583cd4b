package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.SourceSpec;

/** Builds the Flink source of one source kind, with event-time watermarks if configured. */
public interface SourceTranslator {
    TypedStream translate(SourceSpec source, CompileContext ctx);
}
