package io.ipdm.dataflow.compile.stage;

import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Aggregators;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.aggregate.VariableLengthSerializer;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.ConstantArgumentCount;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.Row;
import org.apache.flink.util.InstantiationUtil;

/**
 * IPDM's built-in aggregates as Flink SQL aggregate functions, the same code as a window stage's
 * {@code fn:} so a SQL stage and a YAML window give equal results (Flink's own {@code PERCENTILE}
 * interpolates between values; {@code QUANTILES} does not):
 *
 * <ul>
 *   <li>{@code QUANTILES(value, rank, ...)} exact, {@code APPROX_QUANTILES} by KLL sketch:
 *       ARRAY&lt;DOUBLE&gt;, one value per rank in [0, 1] (the smallest value with at least rank *
 *       n values at or below it);
 *   <li>{@code COUNT_DISTINCT(value)} exact, {@code HLL_COUNT_DISTINCT} by HyperLogLog: BIGINT;
 *   <li>{@code TOP_K(value, k)} exact, {@code APPROX_TOP_K} by frequent-items sketch: STRING {@code
 *       value:count, ...}, most frequent first.
 * </ul>
 *
 * Ranks and k must be literals. The accumulator is kept in state with the aggregate's own
 * serializer (no Kryo); window table functions pre-aggregate rows in the operator before they touch
 * state, so an exact accumulator is not rewritten per row.
 */
public final class SqlAggregates {
    private SqlAggregates() {}

    /** The SQL names, as documented in docs/sql.md. */
    static void register(StreamTableEnvironment tables) {
        tables.createTemporarySystemFunction(
                "QUANTILES", new BuiltIn(AggregateKind.QUANTILES, Precision.EXACT));
        tables.createTemporarySystemFunction(
                "APPROX_QUANTILES", new BuiltIn(AggregateKind.QUANTILES, Precision.APPROXIMATE));
        tables.createTemporarySystemFunction(
                "COUNT_DISTINCT", new BuiltIn(AggregateKind.COUNT_DISTINCT, Precision.EXACT));
        tables.createTemporarySystemFunction(
                "HLL_COUNT_DISTINCT",
                new BuiltIn(AggregateKind.COUNT_DISTINCT, Precision.APPROXIMATE));
        tables.createTemporarySystemFunction(
                "TOP_K", new BuiltIn(AggregateKind.TOP_K, Precision.EXACT));
        tables.createTemporarySystemFunction(
                "APPROX_TOP_K", new BuiltIn(AggregateKind.TOP_K, Precision.APPROXIMATE));
    }

    /**
     * One aggregate's configuration: kind, precision, the value's type, ranks or k. Ranks and k
     * come with the rows (the planner shows them only while validating), so an accumulator carries
     * its configuration and writes it with its state.
     */
    record Config(
            AggregateKind kind,
            Precision precision,
            TypeInformation<?> valueType,
            List<Double> ranks,
            int k)
            implements Serializable {
        Aggregator<Object> aggregator() {
            AggregateSpec spec =
                    new AggregateSpec(kind.queryName(), kind, "value", precision, k, ranks, null);
            @SuppressWarnings("unchecked")
            Aggregator<Object> a =
                    (Aggregator<Object>)
                            Aggregators.create(
                                    spec,
                                    new RowTypeInfo(
                                            new TypeInformation<?>[] {valueType},
                                            new String[] {"value"}));
            return a;
        }
    }

    /** An accumulator: empty until its first row gives the configuration. */
    public static final class Acc {
        Config config;
        Aggregator<Object> aggregator;
        Object state;
        private Row row;

        Acc() {}

        Acc(Config config, Aggregator<Object> aggregator, Object state) {
            this.config = config;
            this.aggregator = aggregator;
            this.state = state;
        }

        void add(Object... values) {
            if (row == null || row.getArity() != values.length) {
                row = new Row(values.length);
            }
            for (int i = 0; i < values.length; i++) {
                row.setField(i, values[i]);
            }
            state = aggregator.add(state, row);
        }
    }

    /** A built-in aggregate over one column. */
    public static final class BuiltIn extends AggregateFunction<Object, Acc> {
        @Serial private static final long serialVersionUID = 1L;

        private final AggregateKind kind;
        private final Precision precision;

        BuiltIn(AggregateKind kind, Precision precision) {
            this.kind = kind;
            this.precision = precision;
        }

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        public void accumulate(Acc acc, Object... args) {
            Object value = args[0];
            if (value == null) {
                return;
            }
            if (acc.aggregator == null) {
                acc.config = runtimeConfig(args);
                acc.aggregator = acc.config.aggregator();
                acc.state = acc.aggregator.createAccumulator();
            }
            acc.add(value);
        }

        public void merge(Acc acc, Iterable<Acc> others) {
            for (Acc o : others) {
                if (o.aggregator == null) {
                    continue;
                }
                if (acc.aggregator == null) {
                    acc.config = o.config;
                    acc.aggregator = o.aggregator;
                    acc.state = o.aggregator.createAccumulator();
                }
                acc.state = acc.aggregator.merge(acc.state, o.state);
            }
        }

        @Override
        public Object getValue(Acc acc) {
            return acc.aggregator == null ? null : acc.aggregator.result(acc.state);
        }

        private Config runtimeConfig(Object[] args) {
            TypeInformation<?> type =
                    switch (args[0]) {
                        case Long l -> Types.LONG;
                        case Integer i -> Types.INT;
                        case Double d -> Types.DOUBLE;
                        case Boolean b -> Types.BOOLEAN;
                        default -> Types.STRING;
                    };
            List<Double> ranks = new ArrayList<>();
            int k = 0;
            if (kind == AggregateKind.QUANTILES) {
                for (int i = 1; i < args.length; i++) {
                    ranks.add((Double) args[i]);
                }
            } else if (kind == AggregateKind.TOP_K) {
                k = (Integer) args[1];
            }
            return new Config(kind, precision, type, ranks, k);
        }

        @Override
        public TypeInference getTypeInference(DataTypeFactory factory) {
            return TypeInference.newBuilder()
                    .inputTypeStrategy(new Arguments())
                    .accumulatorTypeStrategy(
                            call ->
                                    Optional.of(
                                            DataTypes.RAW(
                                                    Acc.class,
                                                    new AccSerializer(
                                                            kind,
                                                            precision,
                                                            valueType(
                                                                    call.getArgumentDataTypes()
                                                                            .get(0)
                                                                            .getLogicalType(),
                                                                    kind
                                                                            == AggregateKind
                                                                                    .QUANTILES)))))
                    .outputTypeStrategy(
                            call ->
                                    Optional.of(
                                            switch (kind) {
                                                case QUANTILES ->
                                                        DataTypes.ARRAY(DataTypes.DOUBLE());
                                                case COUNT_DISTINCT -> DataTypes.BIGINT();
                                                default -> DataTypes.STRING();
                                            }))
                    .build();
        }

        private String sqlName() {
            String base = kind.queryName().toUpperCase(java.util.Locale.ROOT);
            if (precision == Precision.EXACT) {
                return base;
            }
            return kind == AggregateKind.COUNT_DISTINCT ? "HLL_" + base : "APPROX_" + base;
        }

        /** The value's type as IPDM carries it, or null when it is not one. */
        private static TypeInformation<?> valueType(LogicalType t, boolean numericOnly) {
            return switch (t.getTypeRoot()) {
                case BIGINT -> Types.LONG;
                case INTEGER, SMALLINT, TINYINT -> numericOnly ? Types.LONG : Types.INT;
                case DOUBLE, FLOAT, DECIMAL -> Types.DOUBLE;
                case CHAR, VARCHAR -> numericOnly ? null : Types.STRING;
                case BOOLEAN -> numericOnly ? null : Types.BOOLEAN;
                default -> null;
            };
        }

        private static DataType dataType(TypeInformation<?> t) {
            if (t == Types.LONG) {
                return DataTypes.BIGINT();
            } else if (t == Types.INT) {
                return DataTypes.INT();
            } else if (t == Types.DOUBLE) {
                return DataTypes.DOUBLE();
            } else if (t == Types.BOOLEAN) {
                return DataTypes.BOOLEAN();
            }
            return DataTypes.STRING();
        }

        /** Checks the call and casts ranks to DOUBLE, k to INT, small integers to BIGINT. */
        private final class Arguments implements InputTypeStrategy {
            @Override
            public ArgumentCount getArgumentCount() {
                return switch (kind) {
                    case QUANTILES -> ConstantArgumentCount.from(2);
                    case TOP_K -> ConstantArgumentCount.of(2);
                    default -> ConstantArgumentCount.of(1);
                };
            }

            @Override
            public Optional<List<DataType>> inferInputTypes(
                    CallContext call, boolean throwOnFailure) {
                try {
                    return Optional.of(infer(call));
                } catch (IllegalArgumentException e) {
                    if (throwOnFailure) {
                        throw call.newValidationError("%s", e.getMessage());
                    }
                    return Optional.empty();
                }
            }

            private List<DataType> infer(CallContext call) {
                List<DataType> args = call.getArgumentDataTypes();
                boolean numeric = kind == AggregateKind.QUANTILES;
                TypeInformation<?> type = valueType(args.get(0).getLogicalType(), numeric);
                if (type == null) {
                    throw new IllegalArgumentException(
                            sqlName()
                                    + " takes "
                                    + (numeric ? "a number" : "a number, string or boolean")
                                    + ", not "
                                    + args.get(0).getLogicalType().asSummaryString());
                }
                List<DataType> out = new ArrayList<>();
                out.add(dataType(type));
                for (int i = 1; i < args.size(); i++) {
                    if (!literalKnown(call, i)) {
                        // the physical planner sees a projected column, checked before
                        out.add(
                                kind == AggregateKind.QUANTILES
                                        ? DataTypes.DOUBLE()
                                        : DataTypes.INT());
                    } else if (kind == AggregateKind.QUANTILES) {
                        Double rank = call.getArgumentValue(i, Double.class).orElse(null);
                        if (!call.isArgumentLiteral(i) || rank == null || rank < 0 || rank > 1) {
                            throw new IllegalArgumentException(
                                    sqlName()
                                            + ": argument "
                                            + (i + 1)
                                            + " must be a rank in [0, 1] written as a literal,"
                                            + " e.g. QUANTILES(compute_units, 0.5, 0.9, 0.99)");
                        }
                        out.add(DataTypes.DOUBLE());
                    } else {
                        Integer k = call.getArgumentValue(i, Integer.class).orElse(null);
                        if (!call.isArgumentLiteral(i)
                                || k == null
                                || k < 1
                                || k > Aggregators.MAX_TOP_K) {
                            throw new IllegalArgumentException(
                                    sqlName()
                                            + ": k must be an integer literal between 1 and "
                                            + Aggregators.MAX_TOP_K
                                            + ", e.g. TOP_K(mint, 5)");
                        }
                        out.add(DataTypes.INT());
                    }
                }
                return out;
            }

            /** False where the planner no longer knows (an aggregate's projected input). */
            private static boolean literalKnown(CallContext call, int i) {
                try {
                    call.isArgumentLiteral(i);
                    call.isArgumentNull(i);
                    return true;
                } catch (UnsupportedOperationException e) {
                    return false;
                }
            }

            @Override
            public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
                return List.of(
                        switch (kind) {
                            case QUANTILES ->
                                    Signature.of(
                                            Signature.Argument.of("value", "NUMERIC"),
                                            Signature.Argument.of("rank", "DOUBLE"),
                                            Signature.Argument.of("rank...", "DOUBLE"));
                            case TOP_K ->
                                    Signature.of(
                                            Signature.Argument.of("value", "ANY"),
                                            Signature.Argument.of("k", "INT"));
                            default -> Signature.of(Signature.Argument.of("value", "ANY"));
                        });
            }
        }
    }

    /**
     * A WebAssembly module's aggregate function, called in SQL as {@code module.function(arg, ...)}
     * with one argument per input column of the module, in the module's order (cast to the column's
     * type). One output column is the result; several make a ROW of those columns.
     */
    public static final class Wasm extends AggregateFunction<Object, Acc> {
        @Serial private static final long serialVersionUID = 1L;

        private final String name;
        private final String moduleCid;
        private final Aggregator<Object> aggregator;
        private final BatchSchema input;
        private final DataType output;

        /**
         * @param moduleCid the module's CID: its accumulators are state of this module only
         * @param aggregator the module's aggregate over rows of its input columns, in order
         */
        Wasm(String name, String moduleCid, Aggregator<Object> aggregator, FunctionSpec function) {
            this.name = name;
            this.moduleCid = moduleCid;
            this.aggregator = aggregator;
            this.input = function.input();
            this.output = SqlWasmFunctions.resultType(function.output());
        }

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        /** One argument (Java would spread an array argument, ARRAY&lt;STRING&gt;, as varargs). */
        public void accumulate(Acc acc, Object arg) {
            accumulate(acc, new Object[] {arg});
        }

        public void accumulate(Acc acc, Object... args) {
            if (acc.aggregator == null) {
                acc.aggregator = aggregator;
                acc.state = aggregator.createAccumulator();
            }
            acc.add(args);
        }

        public void merge(Acc acc, Iterable<Acc> others) {
            for (Acc o : others) {
                if (o.aggregator == null) {
                    continue;
                }
                if (acc.aggregator == null) {
                    acc.aggregator = aggregator;
                    acc.state = aggregator.createAccumulator();
                }
                acc.state = aggregator.merge(acc.state, o.state);
            }
        }

        @Override
        public Object getValue(Acc acc) {
            if (acc.aggregator == null) {
                return null;
            }
            return SqlWasmFunctions.sqlResult((Row) aggregator.result(acc.state));
        }

        @Override
        public TypeInference getTypeInference(DataTypeFactory factory) {
            return TypeInference.newBuilder()
                    .inputTypeStrategy(new SqlWasmFunctions.Arguments(name, input))
                    .accumulatorTypeStrategy(
                            call ->
                                    Optional.of(
                                            DataTypes.RAW(
                                                    Acc.class,
                                                    new FixedAccSerializer(
                                                            aggregator, moduleCid + "/" + name))))
                    .outputTypeStrategy(call -> Optional.of(output))
                    .build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Serializes the accumulators of one aggregator (a module's) with its own serializer. Equal for
     * the same module (CID) and function, which is what Flink compares when it restores state.
     */
    public static final class FixedAccSerializer extends VariableLengthSerializer<Acc> {
        @Serial private static final long serialVersionUID = 1L;

        private final Aggregator<Object> aggregator;
        private final String identity;
        private transient TypeSerializer<Object> state;

        /**
         * @param identity the module's CID and the function
         */
        FixedAccSerializer(Aggregator<Object> aggregator, String identity) {
            this.aggregator = aggregator;
            this.identity = identity;
        }

        private TypeSerializer<Object> state() {
            if (state == null) {
                @SuppressWarnings("unchecked")
                TypeSerializer<Object> s =
                        (TypeSerializer<Object>)
                                aggregator.accumulatorSerializer(new SerializerConfigImpl());
                state = s;
            }
            return state;
        }

        @Override
        public TypeSerializer<Acc> duplicate() {
            return new FixedAccSerializer(aggregator, identity);
        }

        @Override
        public Acc createInstance() {
            return new Acc();
        }

        @Override
        public Acc copy(Acc from) {
            return from.aggregator == null
                    ? new Acc()
                    : new Acc(null, aggregator, state().copy(from.state));
        }

        @Override
        public void serialize(Acc acc, DataOutputView out) throws IOException {
            out.writeBoolean(acc.aggregator != null);
            if (acc.aggregator != null) {
                state().serialize(acc.state, out);
            }
        }

        @Override
        public Acc deserialize(DataInputView in) throws IOException {
            return in.readBoolean()
                    ? new Acc(null, aggregator, state().deserialize(in))
                    : new Acc();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FixedAccSerializer s && s.identity.equals(identity);
        }

        @Override
        public int hashCode() {
            return identity.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<Acc> snapshotConfiguration() {
            return new FixedSnapshot(this);
        }
    }

    /** Version 1: the aggregator (with its module), Java-serialized. */
    public static final class FixedSnapshot extends JavaSerializedSnapshot {
        public FixedSnapshot() {}

        FixedSnapshot(FixedAccSerializer serializer) {
            super(serializer);
        }
    }

    /**
     * Serializes an accumulator with its aggregate's own serializer; the configuration comes from
     * the query (and is written into checkpoints' serializer snapshots).
     */
    public static final class AccSerializer extends VariableLengthSerializer<Acc> {
        @Serial private static final long serialVersionUID = 1L;

        private final AggregateKind kind;
        private final Precision precision;
        private final TypeInformation<?> valueType;
        private transient Config last;
        private transient Aggregator<Object> lastAggregator;
        private transient TypeSerializer<Object> lastState;

        AccSerializer(AggregateKind kind, Precision precision, TypeInformation<?> valueType) {
            this.kind = kind;
            this.precision = precision;
            this.valueType = valueType;
        }

        /** The aggregator and state serializer of {@code c}, kept for the next accumulator. */
        private TypeSerializer<Object> state(Config c) {
            if (!c.equals(last)) {
                lastAggregator = c.aggregator();
                @SuppressWarnings("unchecked")
                TypeSerializer<Object> s =
                        (TypeSerializer<Object>)
                                lastAggregator.accumulatorSerializer(new SerializerConfigImpl());
                lastState = s;
                last = c;
            }
            return lastState;
        }

        @Override
        public TypeSerializer<Acc> duplicate() {
            return new AccSerializer(kind, precision, valueType);
        }

        @Override
        public Acc createInstance() {
            return new Acc();
        }

        @Override
        public Acc copy(Acc from) {
            if (from.aggregator == null) {
                return new Acc();
            }
            return new Acc(from.config, from.aggregator, state(from.config).copy(from.state));
        }

        @Override
        public void serialize(Acc acc, DataOutputView out) throws IOException {
            if (acc.aggregator == null) {
                out.writeInt(-1);
                return;
            }
            Config c = acc.config;
            out.writeInt(c.ranks().size());
            for (double r : c.ranks()) {
                out.writeDouble(r);
            }
            out.writeInt(c.k());
            state(c).serialize(acc.state, out);
        }

        @Override
        public Acc deserialize(DataInputView in) throws IOException {
            int n = in.readInt();
            if (n < 0) {
                return new Acc();
            }
            if (n > 10_000) {
                throw new IOException(
                        "SQL aggregate accumulator with " + n + " ranks: corrupt state");
            }
            List<Double> ranks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ranks.add(in.readDouble());
            }
            Config c = new Config(kind, precision, valueType, ranks, in.readInt());
            Object s = state(c).deserialize(in);
            return new Acc(c, lastAggregator, s);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AccSerializer s
                    && s.kind == kind
                    && s.precision == precision
                    && Objects.equals(s.valueType, valueType);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, precision, valueType);
        }

        @Override
        public TypeSerializerSnapshot<Acc> snapshotConfiguration() {
            return new Snapshot(this);
        }
    }

    /** Version 1: kind, precision and value type, Java-serialized. */
    public static final class Snapshot extends JavaSerializedSnapshot {
        public Snapshot() {}

        Snapshot(AccSerializer serializer) {
            super(serializer);
        }
    }

    /** A snapshot that is its serializer, Java-serialized (the configuration travels with it). */
    abstract static class JavaSerializedSnapshot implements TypeSerializerSnapshot<Acc> {
        TypeSerializer<Acc> serializer;

        JavaSerializedSnapshot() {}

        JavaSerializedSnapshot(TypeSerializer<Acc> serializer) {
            this.serializer = serializer;
        }

        @Override
        public final int getCurrentVersion() {
            return 1;
        }

        @Override
        public final void writeSnapshot(DataOutputView out) throws IOException {
            byte[] b = InstantiationUtil.serializeObject(serializer);
            out.writeInt(b.length);
            out.write(b);
        }

        @Override
        public final void readSnapshot(int version, DataInputView in, ClassLoader loader)
                throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            try {
                serializer = InstantiationUtil.deserializeObject(b, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException(
                        "SQL aggregate accumulator ("
                                + getClass().getSimpleName()
                                + "): "
                                + e.getMessage(),
                        e);
            }
        }

        @Override
        public final TypeSerializer<Acc> restoreSerializer() {
            return serializer.duplicate();
        }

        @Override
        public final TypeSerializerSchemaCompatibility<Acc> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Acc> old) {
            // Flink compares the state's types (and so these serializers) before this
            return old.getClass() == getClass()
                            && serializer.equals(((JavaSerializedSnapshot) old).serializer)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
