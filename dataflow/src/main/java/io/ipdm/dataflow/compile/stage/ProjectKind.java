package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.ExpressionException;
import io.ipdm.operators.expr.RowExpression;
import io.ipdm.operators.expr.RowProjection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** {@code kind: project}: named CEL expressions make the output row. */
public final class ProjectKind implements StageKind<StageSpec.Project> {
    @Override
    public String name() {
        return "project";
    }

    @Override
    public String summary() {
        return "replaces each row with the named CEL expressions, in order";
    }

    @Override
    public Class<StageSpec.Project> specType() {
        return StageSpec.Project.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.required(
                        "select", Type.MAP, "a map of output column name to CEL expression"));
    }

    private static Map<String, String> columns(StageSpec.Project stage) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (StageSpec.Projection p : stage.select()) {
            columns.put(p.name(), p.expr());
        }
        return columns;
    }

    /**
     * Projection push-down: only the columns later stages read ({@code needed}, null for all) are
     * computed and emitted, so no narrowing copy of every row follows (before a window's shuffle);
     * when none is read (a count), the first.
     */
    private static Map<String, String> read(Map<String, String> columns, Set<String> needed) {
        if (needed == null) {
            return columns;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        columns.forEach(
                (name, expr) -> {
                    if (needed.contains(name)) {
                        kept.put(name, expr);
                    }
                });
        if (kept.isEmpty()) {
            Map.Entry<String, String> first = columns.entrySet().iterator().next();
            kept.put(first.getKey(), first.getValue());
        }
        return kept;
    }

    @Override
    public StreamType type(StageSpec.Project stage, StreamType input, CompileContext ctx) {
        String base = "stages." + stage.id() + ".select";
        boolean ok = true;
        for (StageSpec.Projection p : stage.select()) {
            // One by one, so each error points at its own column.
            try {
                ctx.expressionReads(
                        base + "." + p.name(),
                        RowExpression.compile(p.expr(), input.type()).fields());
            } catch (ExpressionException e) {
                ctx.report(Expressions.error(ctx, base + "." + p.name(), e));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        try {
            return input.with(
                    stage.id(), RowProjection.of(columns(stage), input.type()).outputType());
        } catch (IllegalArgumentException e) {
            throw ctx.error(base, e.getMessage());
        }
    }

    @Override
    public TypedStream emit(StageSpec.Project stage, TypedStream input, CompileContext ctx) {
        Map<String, String> columns = read(columns(stage), ctx.neededFields(stage.id()));
        RowProjection projection = RowProjection.of(columns, input.type());
        DataStream<Row> out =
                input.stream()
                        .map(projection)
                        .returns(projection.outputType())
                        .uid(CompileContext.uid(stage.id(), "project"))
                        .name(stage.id() + ": project " + String.join(", ", columns.keySet()));
        return input.with(stage.id(), out, projection.outputType());
    }
}
