package io.ipdm.operators.expr;

/**
 * A filter or projection expression that does not compile against its row schema, or that failed
 * while evaluating a row.
 *
 * <p>The message names the expression and, for compile errors, the 1-based column inside it, so
 * that a caller which knows where the expression came from (a YAML file) can prefix its own
 * location. The parts are also available separately: {@link #expression()}, {@link #column()} and
 * {@link #detail()}.
 */
public class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int line;
    private final int column;
    private final String detail;

    /** An error without a position inside the expression. */
    public ExpressionException(String expression, String detail) {
        this(expression, 0, 0, detail, null);
    }

    public ExpressionException(
            String expression, int line, int column, String detail, Throwable cause) {
        super(format(expression, line, column, detail), cause);
        this.expression = expression;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    private static String format(String expression, int line, int column, String detail) {
        String where;
        if (column <= 0) {
            where = "";
        } else if (line > 1) {
            where = " at line " + line + ", column " + column;
        } else {
            where = " at column " + column;
        }
        return "expression '" + expression + "'" + where + ": " + detail;
    }

    /** The expression's source text. */
    public String expression() {
        return expression;
    }

    /**
     * 1-based line inside the expression (1 for one-line expressions), or 0 when it has no
     * position.
     */
    public int line() {
        return line;
    }

    /** 1-based column of the first error inside the expression, or 0 when it has no position. */
    public int column() {
        return column;
    }

    /** The error without the expression and position prefix. */
    public String detail() {
        return detail;
    }
}
