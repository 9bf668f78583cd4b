package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SourceFilter;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.SourceWatermarks;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.Conjuncts;
import io.ipdm.operators.expr.RowExpression;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
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
        Projection p = Projection.ofNeeded(table(source, ctx), ctx.neededFields(source.id()));
        StageSpec.Filter f = ctx.filterAfter(source.id());
        return f == null ? p : p.withFilter(pushed(f, source, p));
    }

    /**
     * Predicate push-down: the conjuncts of the filter stage {@code f} (the only reader of the
     * source) that read only columns computed without a transaction's metadata, as a {@link
     * SourceFilter} that drops a row only when they are false on it (the stage then drops it too: a
     * false conjunct makes CEL's {@code &&} false whatever the rest is, errors included); null when
     * none qualifies. The stage stays after the source and evaluates its whole condition on the
     * rows kept, so errors and nulls behave as without push-down. Not pushed when the event time
     * needs the metadata (a block's watermark carrier holds the metadata-free columns only).
     */
    static SourceFilter pushed(StageSpec.Filter f, SourceSpec source, Projection p) {
        SolanaTable table = p.table();
        if (table != SolanaTable.TRANSACTIONS
                || (source.eventTime() != null
                        && !Projection.metadataFree(table, source.eventTime().field()))) {
            return null;
        }
        RowTypeInfo type = p.rowType();
        List<String> kept = new ArrayList<>();
        Set<String> reads = new LinkedHashSet<>();
        for (String c : Conjuncts.of(f.where())) {
            RowExpression e;
            try {
                e = RowExpression.compileCondition(c, type);
            } catch (RuntimeException notAlone) {
                continue; // checked as part of the whole condition; not pushed
            }
            if (e.fields().stream().allMatch(x -> Projection.metadataFree(table, x))) {
                kept.add(c);
                reads.addAll(e.fields());
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        String text =
                kept.size() == 1
                        ? kept.get(0)
                        : String.join(" && ", kept.stream().map(c -> "(" + c + ")").toList());
        RowExpression condition = RowExpression.compileCondition(text, type);
        SourceFilter.Condition drops = row -> Boolean.FALSE.equals(condition.evaluate(row));
        return new SourceFilter(text + " (pushed down from stage " + f.id() + ")", reads, drops);
    }

    /** Adds {@code def} with the source's watermarks; its name lists the columns when pruned. */
    static TypedStream emit(SourceSpec source, SolanaSourceDefinition def, CompileContext ctx) {
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(
                                ReportingSource.of(def.source()),
                                SourceWatermarks.of(source, def.rowType(), ctx),
                                name(source, def),
                                def.rowType())
                        .uid(CompileContext.uid(source.id(), "source"));
        return new TypedStream(source.id(), stream, def.rowType(), List.of(), source.eventTime());
    }

    /** The source's operator name: its id, the columns it reads when pruned, its pushed filter. */
    private static String name(SourceSpec source, SolanaSourceDefinition def) {
        String name =
                def.rowType().getArity() < def.table().arity()
                        ? source.id() + " reading " + List.of(def.rowType().getFieldNames())
                        : source.id();
        return def.filter() == null ? name : name + " where " + def.filter();
    }
}
