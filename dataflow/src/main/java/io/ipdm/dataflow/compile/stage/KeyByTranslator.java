package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;

/**
 * {@code kind: key_by}: names the grouping fields of the next window. It adds no operator of its
 * own: the window partitions by these fields (one network shuffle, not two).
 */
public final class KeyByTranslator implements StageTranslator<StageSpec.KeyBy> {
    @Override
    public TypedStream translate(StageSpec.KeyBy stage, TypedStream input, CompileContext ctx) {
        for (int i = 0; i < stage.fields().size(); i++) {
            String f = stage.fields().get(i);
            if (input.type().getFieldIndex(f) < 0) {
                throw ctx.error(
                        "stages." + stage.id() + ".fields[" + i + "]", Fields.unknown(f, input));
            }
        }
        return new TypedStream(
                stage.id(), input.stream(), input.type(), stage.fields(), input.eventTime());
    }
}
