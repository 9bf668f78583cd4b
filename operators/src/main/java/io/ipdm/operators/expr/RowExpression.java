package io.ipdm.operators.expr;

import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A CEL expression over the fields of a {@link Row}, type-checked against the row's {@link
 * RowTypeInfo}. Each field is a variable named after the field ({@code fee > 5000 && success}).
 *
 * <p>Nulls: a field that is null in a row reads as CEL {@code null}, so {@code compute_units ==
 * null} works. Any other use of a null value (arithmetic, comparison) makes the whole expression
 * evaluate to null, which a filter treats as false (as SQL does).
 *
 * <p>Instances are serializable (the source and schema travel; the compiled program is rebuilt on
 * the task). An instance is not thread-safe: use one per task, as Flink does with functions.
 */
public final class RowExpression implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final String source;
    private final RowTypeInfo schema;
    private final TypeInformation<?> resultType;
    private final boolean allowNative;
    private final Set<String> fields;
    private transient Evaluator evaluator;

    private RowExpression(
            String source,
            RowTypeInfo schema,
            TypeInformation<?> resultType,
            Evaluator evaluator,
            boolean allowNative,
            Set<String> fields) {
        this.source = source;
        this.schema = schema;
        this.resultType = resultType;
        this.evaluator = evaluator;
        this.allowNative = allowNative;
        this.fields = fields;
    }

    /**
     * Parses and type-checks {@code source} against {@code schema}.
     *
     * @throws ExpressionException naming the expression, the column of the error and what is wrong
     */
    public static RowExpression compile(String source, RowTypeInfo schema) {
        return compile(source, schema, true);
    }

    /**
     * With {@code allowNative} false, always evaluates with CEL's interpreter (tests, benchmarks).
     */
    static RowExpression compile(String source, RowTypeInfo schema, boolean allowNative) {
        if (schema == null) {
            throw new IllegalArgumentException(
                    "schema must not be null for expression '" + source + "'");
        }
        String trimmed = source == null ? "" : source.trim();
        int field = schema.getFieldIndex(trimmed);
        if (field >= 0) {
            // A bare field keeps its exact Flink type and skips the interpreter.
            return new RowExpression(
                    source,
                    schema,
                    schema.getTypeAt(field),
                    new FieldEvaluator(field),
                    allowNative,
                    Set.of(trimmed));
        }
        CelCompilation.Compiled compiled = CelCompilation.compile(source, schema);
        CelType celType = compiled.ast().getResultType();
        CelTypeMapping.ResultBinding result = CelTypeMapping.result(celType);
        if (result == null) {
            throw new ExpressionException(
                    source,
                    "its result type "
                            + CelTypeMapping.describe(celType)
                            + " cannot be stored in a row; convert it with int(), double(),"
                            + " string() or bool()");
        }
        Optional<NativeCompiler.Node> nativeTree =
                allowNative ? NativeCompiler.compile(compiled) : Optional.empty();
        Evaluator evaluator =
                nativeTree.isPresent()
                        ? new NativeEvaluator(source, nativeTree.get(), result.fromCel())
                        : new CelEvaluator(source, compiled, result.fromCel());
        Set<String> read = fieldsRead(compiled);
        return new RowExpression(source, schema, result.flinkType(), evaluator, allowNative, read);
    }

    /** The row fields the checked syntax tree references (its resolved identifiers). */
    private static Set<String> fieldsRead(CelCompilation.Compiled compiled) {
        Set<String> out = new LinkedHashSet<>();
        for (CelReference ref : compiled.ast().getReferenceMap().values()) {
            if (ref.overloadIds().isEmpty() && compiled.positions().containsKey(ref.name())) {
                out.add(ref.name());
            }
        }
        return Set.copyOf(out);
    }

    /** The names of the row fields the expression reads (from its checked syntax tree). */
    public Set<String> fields() {
        return fields;
    }

    /**
     * Like {@link #compile} but also requires a bool result, as a filter condition.
     *
     * @throws ExpressionException when the expression does not compile or is not a bool
     */
    public static RowExpression compileCondition(String source, RowTypeInfo schema) {
        RowExpression e = compile(source, schema);
        if (!e.resultType.equals(org.apache.flink.api.common.typeinfo.Types.BOOLEAN)) {
            throw new ExpressionException(
                    source,
                    "a condition must be a bool (true or false), but this expression is "
                            + e.resultTypeName());
        }
        return e;
    }

    private String resultTypeName() {
        return CelTypeMapping.describe(
                CelCompilation.compile(source, schema).ast().getResultType());
    }

    /** Whether this expression runs as compiled Java rather than in CEL's interpreter. */
    boolean isNative() {
        return evaluator() instanceof NativeEvaluator || evaluator() instanceof FieldEvaluator;
    }

    /** The expression's source text. */
    public String source() {
        return source;
    }

    /** The schema the expression was checked against. */
    public RowTypeInfo schema() {
        return schema;
    }

    /** The Flink type of {@link #evaluate}'s result (Long for CEL int, Double, String, ...). */
    public TypeInformation<?> resultType() {
        return resultType;
    }

    /**
     * Evaluates against one row; null when the expression used a null field.
     *
     * @throws ExpressionException when evaluation fails for another reason (division by zero,
     *     overflow)
     */
    public Object evaluate(Row row) {
        return evaluator().evaluate(row);
    }

    /** True only when the expression evaluates to true (null counts as false). */
    public boolean test(Row row) {
        return Boolean.TRUE.equals(evaluator().evaluate(row));
    }

    private Evaluator evaluator() {
        Evaluator e = evaluator;
        if (e == null) {
            e = compile(source, schema, allowNative).evaluator;
            evaluator = e;
        }
        return e;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        evaluator = null; // rebuilt on first use, on the task
    }

    @Override
    public String toString() {
        return source;
    }

    private interface Evaluator {
        Object evaluate(Row row);
    }

    private record FieldEvaluator(int position) implements Evaluator {
        @Override
        public Object evaluate(Row row) {
            return row.getField(position);
        }
    }

    /** Evaluates a {@link NativeCompiler} tree. */
    private static final class NativeEvaluator implements Evaluator {
        private final String source;
        private final NativeCompiler.Node tree;
        private final Function<Object, Object> fromCel;
        private final NativeCompiler.State state = new NativeCompiler.State();

        NativeEvaluator(String source, NativeCompiler.Node tree, Function<Object, Object> fromCel) {
            this.source = source;
            this.tree = tree;
            this.fromCel = fromCel;
        }

        @Override
        public Object evaluate(Row row) {
            state.sawNull = false;
            Object v = tree.eval(row, state);
            if (v instanceof NativeCompiler.Err err) {
                if (state.sawNull) {
                    return null;
                }
                throw new ExpressionException(
                        source, 0, 0, "evaluation failed: " + err.message(), null);
            }
            return v == null ? null : fromCel.apply(v);
        }
    }

    /** Evaluates with CEL; reads fields by name through a resolver bound to the current row. */
    private static final class CelEvaluator implements Evaluator, CelVariableResolver {
        private final String source;
        private final CelCompilation.Compiled compiled;
        private final CelRuntime.Program program;
        private final Function<Object, Object> fromCel;
        private final Map<String, Slot> slots = new HashMap<>();
        private Row row;
        private boolean sawNull;

        CelEvaluator(
                String source, CelCompilation.Compiled compiled, Function<Object, Object> fromCel) {
            this.source = source;
            this.compiled = compiled;
            this.program = compiled.program();
            this.fromCel = fromCel;
            compiled.positions()
                    .forEach(
                            (name, pos) ->
                                    slots.put(
                                            name,
                                            new Slot(pos, compiled.bindings().get(name).toCel())));
        }

        @Override
        public Optional<Object> find(String name) {
            Slot slot = slots.get(name);
            if (slot == null) {
                return Optional.empty();
            }
            Object v = row.getField(slot.position);
            if (v == null) {
                sawNull = true;
                return Optional.of(NullValue.NULL_VALUE);
            }
            return Optional.of(slot.toCel.apply(v));
        }

        @Override
        public Object evaluate(Row r) {
            row = r;
            sawNull = false;
            try {
                Object v = program.eval(this);
                return v instanceof NullValue ? null : fromCel.apply(v);
            } catch (CelEvaluationException e) {
                if (sawNull) {
                    return null;
                }
                throw new ExpressionException(
                        source, 0, 0, "evaluation failed: " + e.getMessage(), e);
            } finally {
                row = null;
            }
        }

        private record Slot(int position, Function<Object, Object> toCel) {}
    }
}
