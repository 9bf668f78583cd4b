package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.ExpressionException;
import io.ipdm.operators.expr.RowFilter;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** {@code kind: filter}: a CEL condition over the input row. */
public final class FilterKind implements StageKind<StageSpec.Filter> {
    @Override
    public String name() {
        return "filter";
    }

    @Override
    public String summary() {
        return "keeps rows where the CEL expression is true";
    }

    @Override
    public Class<StageSpec.Filter> specType() {
        return StageSpec.Filter.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(OptionSpec.required("where", Type.STRING, "a CEL condition over the row"));
    }

    @Override
    public StreamType type(StageSpec.Filter stage, StreamType input, CompileContext ctx) {
        String path = "stages." + stage.id() + ".where";
        try {
            ctx.expressionReads(
                    path, RowFilter.of(stage.where(), input.type()).condition().fields());
        } catch (ExpressionException e) {
            throw Expressions.error(ctx, path, e);
        }
        return new StreamType(stage.id(), input.type(), input.keyFields(), input.eventTime());
    }

    @Override
    public TypedStream emit(StageSpec.Filter stage, TypedStream input, CompileContext ctx) {
        DataStream<Row> out =
                input.stream()
                        .filter(RowFilter.of(stage.where(), input.type()))
                        .returns(input.type())
                        .uid(CompileContext.uid(stage.id(), "filter"))
                        .name(stage.id() + ": filter " + stage.where());
        return new TypedStream(stage.id(), out, input.type(), input.keyFields(), input.eventTime());
    }
}
