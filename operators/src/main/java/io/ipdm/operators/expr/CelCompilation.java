package io.ipdm.operators.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.optimizer.CelOptimizationException;
import dev.cel.optimizer.CelOptimizer;
import dev.cel.optimizer.CelOptimizerFactory;
import dev.cel.optimizer.optimizers.ConstantFoldingOptimizer;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * Type-checks an expression with CEL against a row schema and turns CEL's issues into our errors.
 */
final class CelCompilation {
    /** Bounds the work of comprehensions (exists, all, map, filter) per row. */
    private static final int MAX_COMPREHENSION_ITERATIONS = 10_000;

    static final CelOptions OPTIONS =
            CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .enableTimestampEpoch(true)
                    .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
                    .build();

    // Programs are created from one runtime; it is immutable and thread-safe.
    private static final CelRuntime RUNTIME =
            CelLibraries.bind(CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS))
                    .build();

    private static final Pattern UNDECLARED =
            Pattern.compile("undeclared reference to '([^']+)'.*");
    private static final Pattern CANDIDATES = Pattern.compile(" \\(candidates: .*\\)$");
    private static final Pattern WRAPPER = Pattern.compile("wrapper\\(([a-z]+)\\)");
    private static final Pattern BINARY_OP = Pattern.compile("'_([^_']+)_'");

    private CelCompilation() {}

    /** A checked expression, its program and how it reads rows. */
    record Compiled(
            CelAbstractSyntaxTree ast,
            CelRuntime.Program program,
            Map<String, Integer> positions,
            Map<String, CelTypeMapping.FieldBinding> bindings) {}

    static Compiled compile(String source, RowTypeInfo schema) {
        if (source == null || source.isBlank()) {
            throw new ExpressionException(String.valueOf(source), "the expression is empty");
        }
        String[] names = schema.getFieldNames();
        Map<String, Integer> positions = new LinkedHashMap<>();
        Map<String, CelTypeMapping.FieldBinding> bindings = new LinkedHashMap<>();
        Map<String, TypeInformation<?>> unreadable = new LinkedHashMap<>();
        CelCompilerBuilder builder =
                CelLibraries.declare(
                        CelCompilerFactory.standardCelCompilerBuilder()
                                .setOptions(OPTIONS)
                                .setStandardMacros(CelStandardMacro.STANDARD_MACROS));
        for (int i = 0; i < names.length; i++) {
            TypeInformation<?> type = schema.getTypeAt(i);
            CelTypeMapping.FieldBinding b = CelTypeMapping.field(type);
            if (b == null) {
                unreadable.put(names[i], type);
                continue;
            }
            positions.put(names[i], i);
            bindings.put(names[i], b);
            builder.addVar(names[i], b.celType());
        }
        CelCompiler compiler = builder.build();
        CelValidationResult result = compiler.compile(source);
        if (result.hasError()) {
            throw toException(source, result.getAllIssues(), names, unreadable, bindings);
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            checkConstants(source, compiler, ast);
            return new Compiled(ast, RUNTIME.createProgram(ast), positions, bindings);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new ExpressionException(source, 0, 0, e.getMessage(), e);
        }
    }

    private static final String EVALUATION_ERROR = "evaluation error: ";

    /**
     * Folds the parts of the expression that read no field (CEL's constant folding) and refuses the
     * expression when one of them fails ({@code 1 / 0}, {@code int('x')}): that part fails on every
     * row. The expression itself is not rewritten.
     */
    private static void checkConstants(
            String source, CelCompiler compiler, CelAbstractSyntaxTree ast) {
        CelOptimizer folding =
                CelOptimizerFactory.standardCelOptimizerBuilder(compiler, RUNTIME)
                        .addAstOptimizers(ConstantFoldingOptimizer.getInstance())
                        .build();
        try {
            folding.optimize(ast);
        } catch (CelOptimizationException e) {
            String why = String.valueOf(e.getMessage());
            int at = why.indexOf(EVALUATION_ERROR);
            throw new ExpressionException(
                    source,
                    1,
                    1,
                    "a part of it that reads no field fails on every row: "
                            + (at < 0 ? why : why.substring(at + EVALUATION_ERROR.length())),
                    e);
        }
    }

    private static ExpressionException toException(
            String source,
            List<CelIssue> issues,
            String[] fieldNames,
            Map<String, TypeInformation<?>> unreadable,
            Map<String, CelTypeMapping.FieldBinding> bindings) {
        List<CelIssue> errors = new ArrayList<>();
        for (CelIssue issue : issues) {
            if (issue.getSeverity() == CelIssue.Severity.ERROR) {
                errors.add(issue);
            }
        }
        CelIssue first = errors.get(0);
        StringBuilder detail = new StringBuilder(explain(source, first, fieldNames, unreadable));
        detail.append(mixedNumbersHint(source, detail.toString(), bindings));
        for (CelIssue more : errors.subList(1, errors.size())) {
            detail.append("; and at column ")
                    .append(more.getSourceLocation().getColumn() + 1)
                    .append(": ")
                    .append(explain(source, more, fieldNames, unreadable));
        }
        return new ExpressionException(
                source,
                Math.max(1, first.getSourceLocation().getLine()),
                first.getSourceLocation().getColumn() + 1,
                detail.toString(),
                null);
    }

    private static final Pattern MIXED =
            Pattern.compile(
                    "applied to '\\((int|uint), double\\)'|applied to '\\(double, (int|uint)\\)'");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * For an operator over an int and a double (CEL converts neither), the expression with its
     * first int field wrapped in {@code double()}: {@code fee / 1e9} suggests {@code double(fee) /
     * 1e9}.
     */
    static String mixedNumbersHint(
            String source, String message, Map<String, CelTypeMapping.FieldBinding> bindings) {
        if (!MIXED.matcher(message).find()) {
            return "";
        }
        Matcher w = WORD.matcher(source);
        while (w.find()) {
            CelTypeMapping.FieldBinding b = bindings.get(w.group());
            boolean call = w.end() < source.length() && source.charAt(w.end()) == '(';
            dev.cel.common.types.CelType t = b == null ? null : b.celType();
            if (t instanceof dev.cel.common.types.NullableType n) {
                t = n.targetType();
            }
            if (!call
                    && (t == dev.cel.common.types.SimpleType.INT
                            || t == dev.cel.common.types.SimpleType.UINT)) {
                String fixed =
                        source.substring(0, w.start())
                                + "double("
                                + w.group()
                                + ")"
                                + source.substring(w.end());
                return "; CEL does not mix int and double: convert the int, e.g. "
                        + (fixed.length() <= 80 ? fixed : "double(" + w.group() + ")");
            }
        }
        return "; CEL does not mix int and double: convert one side with double() or int()";
    }

    private static String explain(
            String source,
            CelIssue issue,
            String[] fieldNames,
            Map<String, TypeInformation<?>> unreadable) {
        String msg = issue.getMessage();
        Matcher undeclared = UNDECLARED.matcher(msg);
        if (undeclared.matches()) {
            String name = undeclared.group(1);
            if (isCall(source, issue, name)) {
                return "unknown function '" + name + "'";
            }
            if (unreadable.containsKey(name)) {
                return "field '"
                        + name
                        + "' has type "
                        + unreadable.get(name)
                        + ", which expressions cannot read";
            }
            return "unknown field '"
                    + name
                    + "'; known fields: "
                    + (fieldNames.length == 0 ? "(none)" : String.join(", ", fieldNames));
        }
        if (msg.startsWith("mismatched input '<EOF>'")) {
            return "the expression ends too early (" + CANDIDATES.matcher(msg).replaceAll("") + ")";
        }
        msg = CANDIDATES.matcher(msg).replaceAll("");
        msg = WRAPPER.matcher(msg).replaceAll("$1");
        msg = BINARY_OP.matcher(msg).replaceAll("'$1'");
        return msg.replace("'!_'", "'!'").replace("'-_'", "'-'").replace("'@in'", "'in'");
    }

    /** Whether the identifier at the issue's position is followed by '(' (a function call). */
    private static boolean isCall(String source, CelIssue issue, String name) {
        int offset =
                offsetOf(
                        source,
                        issue.getSourceLocation().getLine(),
                        issue.getSourceLocation().getColumn());
        // CEL points at the name of a variable but at the '(' of a call
        int idx = source.lastIndexOf(name, offset);
        if (idx < 0) {
            return false;
        }
        int i = idx + name.length();
        while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
            i++;
        }
        return i < source.length() && source.charAt(i) == '(';
    }

    private static int offsetOf(String source, int line, int column) {
        int offset = 0;
        for (int l = 1; l < line; l++) {
            int nl = source.indexOf('\n', offset);
            if (nl < 0) {
                break;
            }
            offset = nl + 1;
        }
        return source.offsetByCodePoints(
                offset, Math.min(column, source.codePointCount(offset, source.length())));
    }
}
