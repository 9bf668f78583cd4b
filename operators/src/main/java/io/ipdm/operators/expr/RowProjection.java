package io.ipdm.operators.expr;

import java.io.Serial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Computes a new row from named expressions ({@code name: expression}), in the given order. A bare
 * field name copies the field with its type; other expressions get the Flink type of their CEL
 * result (int becomes Long, double Double, list(string) String[], ...). See {@link #outputType()}.
 */
public final class RowProjection implements MapFunction<Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowExpression[] expressions;
    private final RowTypeInfo outputType;

    private RowProjection(RowExpression[] expressions, RowTypeInfo outputType) {
        this.expressions = expressions;
        this.outputType = outputType;
    }

    /**
     * Compiles every expression against the input schema.
     *
     * @param columns output field name to expression, in output order
     * @throws ExpressionException for the first expression that does not compile
     * @throws IllegalArgumentException for an empty projection or a bad output name
     */
    public static RowProjection of(Map<String, String> columns, RowTypeInfo inputType) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException(
                    "a projection needs at least one column (name: expression)");
        }
        Map<String, String> ordered = new LinkedHashMap<>(columns);
        List<String> names = new ArrayList<>();
        List<TypeInformation<?>> types = new ArrayList<>();
        RowExpression[] exprs = new RowExpression[ordered.size()];
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (Map.Entry<String, String> c : ordered.entrySet()) {
            String name = c.getKey();
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(
                        "projection column name '"
                                + name
                                + "' is not valid: use letters, digits and '_' (snake_case), not starting with a digit");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(
                        "projection column '" + name + "' is given twice");
            }
            exprs[i] = RowExpression.compile(c.getValue(), inputType);
            names.add(name);
            types.add(exprs[i].resultType());
            i++;
        }
        return new RowProjection(
                exprs,
                new RowTypeInfo(
                        types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0])));
    }

    /** The schema of the rows this projection produces. */
    public RowTypeInfo outputType() {
        return outputType;
    }

    @Override
    public Row map(Row in) {
        Row out = new Row(expressions.length);
        for (int i = 0; i < expressions.length; i++) {
            out.setField(i, expressions[i].evaluate(in));
        }
        return out;
    }
}
