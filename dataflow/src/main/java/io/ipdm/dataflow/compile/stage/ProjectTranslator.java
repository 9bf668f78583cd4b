package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.ExpressionException;
import io.ipdm.operators.expr.RowExpression;
import io.ipdm.operators.expr.RowProjection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** {@code kind: project}: named CEL expressions make the output row. */
public final class ProjectTranslator implements StageTranslator<StageSpec.Project> {
    @Override
    public TypedStream translate(StageSpec.Project stage, TypedStream input, CompileContext ctx) {
        String base = "stages." + stage.id() + ".select";
        Map<String, String> columns = new LinkedHashMap<>();
        for (StageSpec.Projection p : stage.select()) {
            // Compile one by one so an error points at its own column.
            try {
                RowExpression.compile(p.expr(), input.type());
            } catch (ExpressionException e) {
                throw Expressions.error(ctx, base + "." + p.name(), e);
            }
            columns.put(p.name(), p.expr());
        }
        RowProjection projection;
        try {
            projection = RowProjection.of(columns, input.type());
        } catch (IllegalArgumentException e) {
            throw ctx.error(base, e.getMessage());
        }
        DataStream<Row> out =
                input.stream()
                        .map(projection)
                        .returns(projection.outputType())
                        .uid(CompileContext.uid(stage.id(), "project"))
                        .name(stage.id() + ": project " + String.join(", ", columns.keySet()));
        return input.with(stage.id(), out, projection.outputType());
    }
}
