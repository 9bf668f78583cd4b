package io.ipdm.operators.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.parser.CelUnparser;
import dev.cel.parser.CelUnparserFactory;
import dev.cel.parser.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level conjuncts of a CEL condition ({@code a && (b || c) && d} gives {@code a}, {@code b
 * || c}, {@code d}), as CEL text, for predicate push-down: a conjunct that is false makes the whole
 * condition false, whatever the others are, errors included (CEL's {@code &&} is commutative: false
 * absorbs an error on either side).
 */
public final class Conjuncts {
    private static final CelCompiler PARSER =
            CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(CelCompilation.OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .build();
    private static final CelUnparser UNPARSER = CelUnparserFactory.newUnparser();

    private Conjuncts() {}

    /**
     * The conjuncts of {@code condition} in order; the condition itself when it is not a
     * conjunction (or does not parse: the caller's compile reports that).
     */
    public static List<String> of(String condition) {
        CelValidationResult parsed = PARSER.parse(condition);
        if (parsed.hasError()) {
            return List.of(condition);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = parsed.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            return List.of(condition);
        }
        List<CelExpr> parts = new ArrayList<>();
        flatten(ast.getExpr(), parts);
        if (parts.size() == 1) {
            return List.of(condition);
        }
        List<String> out = new ArrayList<>(parts.size());
        for (CelExpr e : parts) {
            out.add(UNPARSER.unparse(CelAbstractSyntaxTree.newParsedAst(e, ast.getSource())));
        }
        return out;
    }

    private static void flatten(CelExpr e, List<CelExpr> out) {
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                && e.call().function().equals(Operator.LOGICAL_AND.getFunction())
                && e.call().target().isEmpty()
                && e.call().args().size() == 2) {
            flatten(e.call().args().get(0), out);
            flatten(e.call().args().get(1), out);
        } else {
            out.add(e);
        }
    }
}
