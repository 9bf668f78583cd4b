package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.List;

/**
 * {@code kind: key_by}: names the grouping fields of the next window. It adds no operator of its
 * own: the window partitions by these fields (one network shuffle, not two).
 */
public final class KeyByKind implements StageKind<StageSpec.KeyBy> {
    @Override
    public String name() {
        return "key_by";
    }

    @Override
    public String summary() {
        return "partitions by fields; a following window aggregates per key";
    }

    @Override
    public Class<StageSpec.KeyBy> specType() {
        return StageSpec.KeyBy.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.required("fields", Type.LIST, "the key fields (a single name is fine)"));
    }

    @Override
    public StreamType type(StageSpec.KeyBy stage, StreamType input, CompileContext ctx) {
        boolean ok = true;
        for (int i = 0; i < stage.fields().size(); i++) {
            String f = stage.fields().get(i);
            if (input.type().getFieldIndex(f) < 0) {
                ctx.report(
                        ctx.error(
                                "stages." + stage.id() + ".fields[" + i + "]",
                                Fields.unknown(f, input)));
                ok = false;
            }
        }
        return ok
                ? new StreamType(stage.id(), input.type(), stage.fields(), input.eventTime())
                : null;
    }

    @Override
    public TypedStream emit(StageSpec.KeyBy stage, TypedStream input, CompileContext ctx) {
        return new TypedStream(
                stage.id(), input.stream(), input.type(), stage.fields(), input.eventTime());
    }
}
