package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.operators.expr.ExpressionException;

/** Maps a CEL error's position inside the expression onto the pipeline file. */
final class Expressions {
    private Expressions() {}

    static PipelineException error(CompileContext ctx, String path, ExpressionException e) {
        return ctx.expressionError(
                path,
                e.line(),
                e.column(),
                "invalid expression '" + e.expression() + "': " + e.detail());
    }
}
