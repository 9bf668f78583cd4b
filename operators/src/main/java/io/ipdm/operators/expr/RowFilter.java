package io.ipdm.operators.expr;

import java.io.Serial;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Keeps the rows for which a bool CEL condition is true; rows where it is false or null (a null
 * field was used) are dropped. The output schema is the input schema.
 */
public final class RowFilter implements FilterFunction<Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowExpression condition;

    private RowFilter(RowExpression condition) {
        this.condition = condition;
    }

    /**
     * Compiles the condition against the schema now, so that mistakes surface before a job starts.
     *
     * @throws ExpressionException when it does not compile or is not a bool
     */
    public static RowFilter of(String condition, RowTypeInfo schema) {
        return new RowFilter(RowExpression.compileCondition(condition, schema));
    }

    /** The compiled condition. */
    public RowExpression condition() {
        return condition;
    }

    @Override
    public boolean filter(Row row) {
        return condition.test(row);
    }
}
