package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.StageSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The Flink Table API side of {@code kind: sql}: one table environment per stream environment,
 * pipeline streams as tables, and a query's result back as rows IPDM's stages and sinks read.
 *
 * <p>Types in: the stream's fields keep their types (BIGINT, INT, DOUBLE, BOOLEAN, STRING,
 * ARRAY&lt;STRING&gt;, ARRAY&lt;DOUBLE&gt;) and a stream with event time gets {@code rowtime
 * TIMESTAMP_LTZ(3)} from its records' timestamps, watermarked as the stream is, and every stream a
 * {@code proctime} column for lookup joins against a stage's file tables ({@link FileTables}).
 * Types out: TIMESTAMP and TIMESTAMP_LTZ become BIGINT epoch milliseconds (UTC), DECIMAL becomes
 * DOUBLE, TINYINT and SMALLINT become INT; other types must be CAST. Session time zone is UTC, so
 * windows align to UTC like window stages do.
 */
final class SqlTables {
    static final String ROWTIME = "rowtime";
    static final String PROCTIME = "proctime";
    private static final Map<StreamExecutionEnvironment, SqlTables> BY_ENV = new WeakHashMap<>();

    private final StreamTableEnvironment tables;

    /** A query's rows and their schema. */
    record Result(DataStream<Row> stream, RowTypeInfo type) {}

    private SqlTables(StreamTableEnvironment tables) {
        this.tables = tables;
    }

    static synchronized SqlTables of(StreamExecutionEnvironment env) {
        return BY_ENV.computeIfAbsent(
                env,
                e -> {
                    StreamTableEnvironment t = StreamTableEnvironment.create(e);
                    t.getConfig().setLocalTimeZone(ZoneOffset.UTC);
                    SqlAggregates.register(t);
                    return new SqlTables(t);
                });
    }

    /** A stream of {@code type} with no rows, to plan a query over in typing. */
    static DataStream<Row> placeholder(StreamExecutionEnvironment env, RowTypeInfo type) {
        return env.fromSequence(0, 0).flatMap(new NoRow()).returns(type);
    }

    /** Emits nothing (the placeholder is never run). */
    private static final class NoRow implements FlatMapFunction<Long, Row> {
        @Override
        public void flatMap(Long value, Collector<Row> out) {}
    }

    /**
     * Makes {@code in} the table of its id (once per environment).
     *
     * @throws IllegalArgumentException when the stream has a field named rowtime and event time
     */
    void register(TypedStream in) {
        if (Arrays.asList(tables.listTemporaryViews()).contains(in.id())) {
            return;
        }
        Schema.Builder schema = Schema.newBuilder();
        if (in.eventTime() != null) {
            if (in.type().getFieldIndex(ROWTIME) >= 0) {
                throw new IllegalArgumentException(
                        "stream '"
                                + in.id()
                                + "' has a field named rowtime, which its table uses for event"
                                + " time; rename the field in a project stage first");
            }
            schema.columnByMetadata(ROWTIME, "TIMESTAMP_LTZ(3)")
                    .watermark(ROWTIME, "SOURCE_WATERMARK()");
        }
        if (in.type().getFieldIndex(PROCTIME) < 0) {
            // lookup joins against a stage's tables: JOIN t FOR SYSTEM_TIME AS OF s.proctime
            schema.columnByExpression(PROCTIME, "PROCTIME()");
        }
        tables.createTemporaryView(in.id(), tables.fromDataStream(in.stream(), schema.build()));
    }

    /** Makes {@code t} (a file read now) the table of its name, replacing an earlier one. */
    void register(StageSpec.SqlTable t, Path baseDir) {
        if (Arrays.asList(tables.listTemporaryTables()).contains(t.name())) {
            tables.dropTemporaryTable(t.name());
        }
        tables.createTemporaryTable(t.name(), FileTables.descriptor(t, baseDir));
    }

    /** Registers {@code fn} as {@code module.function} (a database per module). */
    void registerFunction(String module, String function, UserDefinedFunction fn) {
        tables.executeSql("CREATE DATABASE IF NOT EXISTS `" + module + "`");
        String path = tables.getCurrentCatalog() + ".`" + module + "`.`" + function + "`";
        tables.dropTemporaryFunction(path);
        tables.createTemporaryFunction(path, fn);
    }

    Table query(String sql) {
        return tables.sqlQuery(sql);
    }

    /** The rows of {@code table} in IPDM's types, updates and retractions as row kinds. */
    DataStream<Row> toStream(Table table, RowTypeInfo type, String stageId) {
        return tables.toChangelogStream(table)
                .map(new ToIpdmRow(kinds(table)))
                .returns(type)
                .uid(CompileContext.uid(stageId, "sql-rows"))
                .name("sql " + stageId);
    }

    /** The query's columns in IPDM's types. */
    static RowTypeInfo rowType(Table table) {
        ResolvedSchema schema = table.getResolvedSchema();
        List<String> names = new ArrayList<>();
        List<TypeInformation<?>> types = new ArrayList<>();
        for (Column c : schema.getColumns()) {
            names.add(c.getName());
            types.add(typeOf(c.getName(), c.getDataType().getLogicalType()));
        }
        return new RowTypeInfo(
                types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }

    private static TypeInformation<?> typeOf(String column, LogicalType t) {
        return switch (t.getTypeRoot()) {
            case BIGINT,
                    TIMESTAMP_WITHOUT_TIME_ZONE,
                    TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                    TIMESTAMP_WITH_TIME_ZONE ->
                    Types.LONG;
            case INTEGER, SMALLINT, TINYINT -> Types.INT;
            case DOUBLE, FLOAT, DECIMAL -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case CHAR, VARCHAR -> Types.STRING;
            case ARRAY -> {
                LogicalType e = t.getChildren().get(0);
                if (e.getTypeRoot() == LogicalTypeRoot.VARCHAR
                        || e.getTypeRoot() == LogicalTypeRoot.CHAR) {
                    yield BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO;
                }
                if (e.getTypeRoot() == LogicalTypeRoot.DOUBLE) {
                    yield BasicArrayTypeInfo.DOUBLE_ARRAY_TYPE_INFO;
                }
                throw unsupported(column, t);
            }
            default -> throw unsupported(column, t);
        };
    }

    private static IllegalArgumentException unsupported(String column, LogicalType t) {
        return new IllegalArgumentException(
                "SQL: column '"
                        + column
                        + "' has type "
                        + t.asSummaryString()
                        + ", which pipeline streams do not carry; CAST it to STRING, BIGINT or"
                        + " DOUBLE");
    }

    private static LogicalTypeRoot[] kinds(Table table) {
        return table.getResolvedSchema().getColumns().stream()
                .map(c -> c.getDataType().getLogicalType().getTypeRoot())
                .toArray(LogicalTypeRoot[]::new);
    }

    /** Converts Flink SQL's external values to IPDM's, keeping the row kind. */
    static final class ToIpdmRow implements MapFunction<Row, Row> {
        private final LogicalTypeRoot[] kinds;

        ToIpdmRow(LogicalTypeRoot[] kinds) {
            this.kinds = kinds;
        }

        @Override
        public Row map(Row in) {
            Row out = new Row(in.getKind(), kinds.length);
            for (int i = 0; i < kinds.length; i++) {
                out.setField(i, convert(in.getField(i)));
            }
            return out;
        }

        private static Object convert(Object v) {
            return switch (v) {
                case null -> null;
                case LocalDateTime t -> t.toInstant(ZoneOffset.UTC).toEpochMilli();
                case Instant t -> t.toEpochMilli();
                case java.time.OffsetDateTime t -> t.toInstant().toEpochMilli();
                case BigDecimal d -> d.doubleValue();
                case Float f -> f.doubleValue();
                case Short s -> s.intValue();
                case Byte b -> b.intValue();
                default -> v;
            };
        }
    }
}
