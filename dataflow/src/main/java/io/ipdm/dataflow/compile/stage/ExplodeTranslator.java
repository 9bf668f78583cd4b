package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.RowExplode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: explode}: one row per element of an array field, with only the fields later stages
 * read (the exploded rows are many; copying unused fields into each would dominate).
 */
public final class ExplodeTranslator implements StageTranslator<StageSpec.Explode> {
    @Override
    public TypedStream translate(StageSpec.Explode stage, TypedStream input, CompileContext ctx) {
        if (input.type().getFieldIndex(stage.field()) < 0) {
            throw ctx.error(
                    "stages." + stage.id() + ".field", Fields.unknown(stage.field(), input));
        }
        RowExplode explode;
        try {
            explode =
                    RowExplode.of(
                            input.type(),
                            stage.field(),
                            stage.as(),
                            stage.distinct(),
                            ctx.neededFields(stage.id()));
        } catch (IllegalArgumentException e) {
            throw ctx.error("stages." + stage.id(), e.getMessage());
        }
        DataStream<Row> out =
                input.stream()
                        .flatMap(explode)
                        .returns(explode.outputType())
                        .uid(CompileContext.uid(stage.id(), "explode"))
                        .name(
                                stage.id()
                                        + ": explode "
                                        + stage.field()
                                        + " as "
                                        + stage.as()
                                        + Fields.kept(explode.outputType(), input.type()));
        return input.with(stage.id(), out, explode.outputType());
    }
}
