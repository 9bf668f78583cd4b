package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.expr.RowExplode;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: explode}: one row per element of an array field, with only the fields later stages
 * read (the exploded rows are many; copying unused fields into each would dominate).
 */
public final class ExplodeKind implements StageKind<StageSpec.Explode> {
    @Override
    public String name() {
        return "explode";
    }

    @Override
    public String summary() {
        return "one row per element of an array field";
    }

    @Override
    public Class<StageSpec.Explode> specType() {
        return StageSpec.Explode.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.required("field", Type.STRING, "the array field"),
                OptionSpec.of("as", Type.STRING, null, "the element's name (default: the field's)"),
                OptionSpec.of(
                        "distinct",
                        Type.BOOLEAN,
                        true,
                        "an element repeated in one row's array gives one row"));
    }

    @Override
    public StreamType type(StageSpec.Explode stage, StreamType input, CompileContext ctx) {
        if (input.type().getFieldIndex(stage.field()) < 0) {
            throw ctx.error(
                    "stages." + stage.id() + ".field", Fields.unknown(stage.field(), input));
        }
        try {
            return input.with(stage.id(), explode(stage, input.type(), null).outputType());
        } catch (IllegalArgumentException e) {
            throw ctx.error("stages." + stage.id(), e.getMessage());
        }
    }

    private static RowExplode explode(
            StageSpec.Explode stage,
            org.apache.flink.api.java.typeutils.RowTypeInfo in,
            java.util.Set<String> needed) {
        return RowExplode.of(in, stage.field(), stage.as(), stage.distinct(), needed);
    }

    @Override
    public TypedStream emit(StageSpec.Explode stage, TypedStream input, CompileContext ctx) {
        RowExplode explode = explode(stage, input.type(), ctx.neededFields(stage.id()));
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
