package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.SourceSpec;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * A source kind: its rows' schema (typing) and the Flink source that emits them (emission).
 * Operator uids derive from the source id ({@code <id>-source}).
 */
public non-sealed interface SourceKind extends Kind {
    /** Whether sources of this kind name a {@code table:} (else the kind declares its rows). */
    default boolean readsTable() {
        return true;
    }

    /**
     * Whether the same options give the same rows on any machine (a seeded generator, files named
     * by content); live sources (a network feed, a topic) are not, so their windows cannot be
     * re-run by a verifier.
     */
    default boolean reproducible() {
        return true;
    }

    /**
     * Typing: the schema of every field the source emits. Mistakes are thrown as {@link
     * io.ipdm.dataflow.spec.PipelineException} at their key path; nothing is built.
     */
    RowTypeInfo type(SourceSpec source, Options options, CompileContext ctx);

    /**
     * Emission: adds the source to {@code ctx.env()}. It may emit only the fields {@code
     * ctx.neededFields(source.id())} names (the compiler drops the rest otherwise).
     */
    TypedStream emit(SourceSpec source, Options options, RowTypeInfo type, CompileContext ctx);
}
