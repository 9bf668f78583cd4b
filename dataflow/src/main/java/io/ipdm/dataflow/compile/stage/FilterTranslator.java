package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.ExpressionException;
import io.ipdm.operators.expr.RowFilter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** {@code kind: filter}: a CEL condition over the input row. */
public final class FilterTranslator implements StageTranslator<StageSpec.Filter> {
    @Override
    public TypedStream translate(StageSpec.Filter stage, TypedStream input, CompileContext ctx) {
        RowFilter filter;
        try {
            filter = RowFilter.of(stage.where(), input.type());
        } catch (ExpressionException e) {
            throw Expressions.error(ctx, "stages." + stage.id() + ".where", e);
        }
        DataStream<Row> out =
                input.stream()
                        .filter(filter)
                        .returns(input.type())
                        .uid(CompileContext.uid(stage.id(), "filter"))
                        .name(stage.id() + ": filter " + stage.where());
        return new TypedStream(stage.id(), out, input.type(), input.keyFields(), input.eventTime());
    }
}
