package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.wasm.RowColumns;
import io.ipdm.operators.wasm.WasmAggregator;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.operators.wasm.WasmTypes;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.WasmException;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.ConstantArgumentCount;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeCasts;
import org.apache.flink.types.Row;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * The functions of the pipeline's WebAssembly modules as SQL functions {@code module.function},
 * registered for every module whose id the query names:
 *
 * <ul>
 *   <li>a {@code map} function is a scalar function: one output column is its result, several make
 *       a ROW of those columns;
 *   <li>a {@code filter} function is a scalar function giving BOOLEAN (true: the module keeps the
 *       row), for {@code WHERE};
 *   <li>an {@code aggregate} is an aggregate function ({@link SqlAggregates.Wasm}).
 * </ul>
 *
 * Arguments are the module's input columns in its order; each is cast implicitly to the column's
 * SQL type ({@link #sqlType}), and a call with the wrong count or types is a validation error that
 * names the function and its signature. A flatmap (rows in, other rows out) is registered only to
 * say, when called, that it runs in a {@code wasm} stage.
 */
final class SqlWasmFunctions {
    private SqlWasmFunctions() {}

    /** "No match found for function signature no_such(<NUMERIC>)" */
    private static final Pattern NO_MATCH =
            Pattern.compile("No match found for function signature (\\w+)\\(");

    /**
     * Registers the functions of every pipeline module the query names ({@code module.}).
     *
     * @return for each of those modules, its functions as "name (kind)", for messages
     */
    static Map<String, String> register(StageSpec.Sql stage, SqlTables tables, CompileContext ctx) {
        Map<String, String> registered = new TreeMap<>();
        for (ModuleSpec m : ctx.graph().spec().modules()) {
            if (!Pattern.compile("(?<![\\w.`])`?" + Pattern.quote(m.id()) + "`?\\s*\\.")
                    .matcher(stage.query())
                    .find()) {
                continue;
            }
            WasmModule module = Modules.load(m.id(), "stages." + stage.id() + ".query", ctx);
            StringJoiner names = new StringJoiner(", ");
            for (FunctionSpec f : module.descriptor().functions().values()) {
                String name = m.id() + "." + f.name();
                WasmStage call = WasmStage.of(module, f.name());
                tables.registerFunction(
                        m.id(),
                        f.name(),
                        f.kind() == FunctionKind.AGGREGATE
                                ? aggregate(name, call, f)
                                : new Scalar(name, call));
                names.add(f.name() + " (" + f.kind().abiName() + ")");
            }
            registered.put(m.id(), names.toString());
        }
        return registered;
    }

    /**
     * For the planner's "no match found" about {@code module.name(}, where the module is one of
     * {@code modules}: which functions it has; else null.
     */
    static String unknownFunction(String message, String query, Map<String, String> modules) {
        Matcher m = NO_MATCH.matcher(message);
        if (!m.find()) {
            return null;
        }
        Matcher call =
                Pattern.compile(
                                "`?(\\w+)`?\\s*\\.\\s*`?" + Pattern.quote(m.group(1)) + "`?\\s*\\(",
                                Pattern.CASE_INSENSITIVE)
                        .matcher(query);
        while (call.find()) {
            String functions = modules.get(call.group(1));
            if (functions != null) {
                return "module '"
                        + call.group(1)
                        + "' has no function '"
                        + m.group(1)
                        + "'; its functions: "
                        + functions;
            }
        }
        return null;
    }

    private static SqlAggregates.Wasm aggregate(String name, WasmStage call, FunctionSpec f) {
        BatchSchema in = f.input();
        TypeInformation<?>[] types = new TypeInformation<?>[in.size()];
        String[] names = new String[in.size()];
        for (int i = 0; i < in.size(); i++) {
            // what SQL hands over: String[] for ARRAY<STRING>, Instant for TIMESTAMP_LTZ
            types[i] =
                    in.column(i).type() == ColumnType.LIST_UTF8
                            ? BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO
                            : WasmTypes.flinkType(in.column(i).type());
            names[i] = in.column(i).name();
        }
        WasmAggregator a =
                new WasmAggregator(
                        call.withBatching(
                                WasmAggregateTranslator.DEFAULT_BATCH,
                                WasmStage.DEFAULT_MAX_BATCH_DELAY),
                        new RowTypeInfo(types, names),
                        Map.of(),
                        Map.of());
        @SuppressWarnings("unchecked")
        Aggregator<Object> agg = (Aggregator<Object>) (Aggregator<?>) a;
        return new SqlAggregates.Wasm(name, call.moduleCid(), agg, f);
    }

    /**
     * The SQL type of an ABI column: int32 INT, int64 and uint64 BIGINT, float64 DOUBLE, bool
     * BOOLEAN, utf8 STRING, binary and fixed_size_binary(32) BYTES, timestamp TIMESTAMP_LTZ(3),
     * list&lt;utf8&gt; ARRAY&lt;STRING&gt; (as String[]).
     */
    static DataType sqlType(ColumnType t) {
        return switch (t) {
            case INT32 -> DataTypes.INT();
            case INT64, UINT64 -> DataTypes.BIGINT();
            case FLOAT64 -> DataTypes.DOUBLE();
            case BOOL -> DataTypes.BOOLEAN();
            case UTF8 -> DataTypes.STRING();
            case BINARY, FIXED_BINARY_32 -> DataTypes.BYTES();
            case TIMESTAMP -> DataTypes.TIMESTAMP_LTZ(3);
            case LIST_UTF8 -> DataTypes.ARRAY(DataTypes.STRING()).bridgedTo(String[].class);
        };
    }

    /** The SQL type of a function's result: its one column, or a ROW of its columns. */
    static DataType resultType(BatchSchema out) {
        if (out.size() == 1) {
            return sqlType(out.column(0).type());
        }
        DataTypes.Field[] fields = new DataTypes.Field[out.size()];
        for (int i = 0; i < out.size(); i++) {
            fields[i] = DataTypes.FIELD(out.column(i).name(), sqlType(out.column(i).type()));
        }
        return DataTypes.ROW(fields);
    }

    /** A module's result row as SQL wants it: the one column or the ROW, lists as String[]. */
    static Object sqlResult(Row r) {
        for (int i = 0; i < r.getArity(); i++) {
            if (r.getField(i) instanceof List<?> l) {
                r.setField(i, l.toArray(new String[0]));
            }
        }
        return r.getArity() == 1 ? r.getField(0) : r;
    }

    /** {@code module.function(fee BIGINT, signatures INT)}: the signature in messages. */
    static String signature(String name, BatchSchema in) {
        StringJoiner s = new StringJoiner(", ", name + "(", ")");
        for (int i = 0; i < in.size(); i++) {
            s.add(
                    in.column(i).name()
                            + " "
                            + sqlType(in.column(i).type()).getLogicalType().asSummaryString());
        }
        return s.toString();
    }

    /**
     * One argument per input column of the module, each implicitly castable to the column's type; a
     * mismatch names the function, the argument and the expected signature.
     */
    static final class Arguments implements InputTypeStrategy {
        private final String name;
        private final BatchSchema input;
        private final InputTypeStrategy sequence;
        private final String refusal;

        Arguments(String name, BatchSchema input) {
            this(name, input, null);
        }

        /**
         * @param refusal when not null, why no call of this function is valid
         */
        Arguments(String name, BatchSchema input, String refusal) {
            this.name = name;
            this.input = input;
            this.refusal = refusal;
            String[] names = new String[input.size()];
            DataType[] types = new DataType[input.size()];
            for (int i = 0; i < input.size(); i++) {
                names[i] = input.column(i).name();
                types[i] = sqlType(input.column(i).type());
            }
            this.sequence = InputTypeStrategies.explicitSequence(names, types);
        }

        @Override
        public ArgumentCount getArgumentCount() {
            // any count: a wrong one gets this strategy's message, with the signature
            return ConstantArgumentCount.any();
        }

        @Override
        public Optional<List<DataType>> inferInputTypes(CallContext call, boolean throwOnFailure) {
            if (refusal != null) {
                if (throwOnFailure) {
                    throw call.newValidationError("%s %s", name, refusal);
                }
                return Optional.empty();
            }
            List<DataType> args = call.getArgumentDataTypes();
            String problem = null;
            if (args.size() != input.size()) {
                problem =
                        "takes "
                                + input.size()
                                + " argument"
                                + (input.size() == 1 ? "" : "s")
                                + ", got "
                                + args.size();
            } else {
                for (int i = 0; i < args.size() && problem == null; i++) {
                    LogicalType expected = sqlType(input.column(i).type()).getLogicalType();
                    LogicalType actual = args.get(i).getLogicalType();
                    if (!LogicalTypeCasts.supportsImplicitCast(actual, expected)) {
                        problem =
                                "argument "
                                        + (i + 1)
                                        + " ("
                                        + input.column(i).name()
                                        + ") must be "
                                        + expected.asSummaryString()
                                        + ", got "
                                        + actual.asSummaryString();
                    }
                }
            }
            Optional<List<DataType>> types =
                    problem == null ? sequence.inferInputTypes(call, false) : Optional.empty();
            if (types.isEmpty() && throwOnFailure) {
                throw call.newValidationError(
                        "%s %s; expected %s",
                        name,
                        problem == null ? "cannot take these arguments" : problem,
                        signature(name, input));
            }
            return types;
        }

        @Override
        public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
            return sequence.getExpectedSignatures(definition);
        }
    }

    /**
     * A module's map or filter function called per row: the row's arguments go into a one-row Arrow
     * batch that is reused from call to call, under the module's sandbox limits, in a module
     * session of this function instance (one per parallel task). A module error fails the job,
     * naming the function.
     *
     * <p>Flink calls scalar functions one row at a time, so each row is one module call; a {@code
     * wasm} stage batches rows (4096 by default) and is the faster form for heavy use.
     */
    public static final class Scalar extends ScalarFunction {
        @Serial private static final long serialVersionUID = 1L;

        private final String name;
        private final WasmStage call;

        private transient FunctionSpec spec;
        private transient BufferAllocator allocator;
        private transient ModuleSession session;
        private transient VectorSchemaRoot batch;
        private transient Row[] in;
        private transient Row[] out;

        Scalar(String name, WasmStage call) {
            this.name = name;
            this.call = call;
        }

        private FunctionSpec spec() {
            if (spec == null) {
                spec = call.module().function(call.function());
            }
            return spec;
        }

        @Override
        public void open(FunctionContext context) {
            start();
        }

        /** Opens the session on first use (the planner may call a constant call while planning). */
        private void start() {
            if (session != null) {
                return;
            }
            FunctionSpec spec = spec();
            allocator = new RootAllocator();
            session = new ModuleSession(call.module(), allocator);
            batch = session.newInput(spec.name());
            in = new Row[] {new Row(spec.input().size())};
            out = new Row[] {new Row(spec.kind() == FunctionKind.MAP ? spec.output().size() : 0)};
        }

        /** One argument (Java would spread an array argument, ARRAY&lt;STRING&gt;, as varargs). */
        public Object eval(Object arg) {
            return eval(new Object[] {arg});
        }

        public Object eval(Object... args) {
            start();
            FunctionSpec spec = this.spec;
            for (int i = 0; i < args.length; i++) {
                in[0].setField(i, args[i]);
            }
            BatchSchema schema = spec.input();
            for (int c = 0; c < schema.size(); c++) {
                FieldVector v = batch.getVector(c);
                v.reset();
                RowColumns.write(schema.column(c).type(), in, 1, c, v);
            }
            batch.setRowCount(1);
            try {
                if (spec.kind() == FunctionKind.FILTER) {
                    return session.filter(spec.name(), batch).length == 1;
                }
                VectorSchemaRoot result = session.map(spec.name(), batch);
                Row r = new Row(spec.output().size());
                out[0] = r;
                for (int c = 0; c < spec.output().size(); c++) {
                    RowColumns.read(spec.output().column(c).type(), result.getVector(c), 1, out, c);
                }
                return sqlResult(r);
            } catch (WasmException e) {
                throw new FlinkRuntimeException(
                        "SQL function " + name + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (batch != null) {
                batch.close();
                batch = null;
            }
            if (session != null) {
                session.close();
                session = null;
            }
            if (allocator != null) {
                allocator.close();
                allocator = null;
            }
        }

        @Override
        public TypeInference getTypeInference(DataTypeFactory factory) {
            FunctionSpec spec = spec();
            DataType result =
                    spec.kind() == FunctionKind.FILTER
                            ? DataTypes.BOOLEAN()
                            : resultType(spec.output());
            String refusal =
                    spec.kind() == FunctionKind.FLAT_MAP
                            ? "is a flatmap (it may return more or fewer rows than it gets), not"
                                    + " a scalar function: run it in a wasm stage that feeds"
                                    + " this query"
                            : null;
            return TypeInference.newBuilder()
                    .inputTypeStrategy(new Arguments(name, spec.input(), refusal))
                    .outputTypeStrategy(c -> Optional.of(result))
                    .build();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
