package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.SourceWatermarks;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SourceSpec;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** What the Solana source kinds share: the {@code table:} they read and how they are added. */
final class SolanaTables {
    static final String TABLES = "blocks, transactions, instructions, token_balance_changes";

    private SolanaTables() {}

    static SolanaTable table(SourceSpec source, CompileContext ctx) {
        try {
            return SolanaTable.fromName(source.table());
        } catch (IllegalArgumentException e) {
            throw ctx.error("sources." + source.id() + ".table", e.getMessage());
        }
    }

    /**
     * Projection push-down into the decoder: the source's table and the columns later stages read
     * (all when that is not known), so parts of a block nobody reads are not decoded.
     */
    static Projection projection(SourceSpec source, CompileContext ctx) {
        return Projection.ofNeeded(table(source, ctx), ctx.neededFields(source.id()));
    }

    /** Adds {@code def} with the source's watermarks; its name lists the columns when pruned. */
    static TypedStream emit(SourceSpec source, SolanaSourceDefinition def, CompileContext ctx) {
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(
                                def.source(),
                                SourceWatermarks.of(source, def.rowType(), ctx),
                                def.rowType().getArity() < def.table().arity()
                                        ? source.id()
                                                + " reading "
                                                + List.of(def.rowType().getFieldNames())
                                        : source.id(),
                                def.rowType())
                        .uid(CompileContext.uid(source.id(), "source"));
        return new TypedStream(source.id(), stream, def.rowType(), List.of(), source.eventTime());
    }
}
