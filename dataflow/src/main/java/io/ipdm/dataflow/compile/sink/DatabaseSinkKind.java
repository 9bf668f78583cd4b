package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.jdbc.DatabaseSink;
import io.ipdm.connectors.jdbc.DatabaseSinkOptions;
import io.ipdm.connectors.jdbc.Dialect;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.operators.window.WindowedAggregation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * {@code kind: postgres} and {@code kind: duckdb}: rows into a database table, upserted on the key
 * fields (by default a window's key fields and {@code window_start}) and committed with checkpoints
 * ({@link DatabaseSink}). A DuckDB file is open in one process only, so the duckdb sink runs as one
 * subtask.
 */
public final class DatabaseSinkKind implements SinkKind {
    static final long DEFAULT_BATCH_SIZE = 5000;
    private final Dialect dialect;

    private DatabaseSinkKind(Dialect dialect) {
        this.dialect = dialect;
    }

    public static DatabaseSinkKind postgres() {
        return new DatabaseSinkKind(Dialect.POSTGRES);
    }

    public static DatabaseSinkKind duckdb() {
        return new DatabaseSinkKind(Dialect.DUCKDB);
    }

    @Override
    public String name() {
        return dialect.kind();
    }

    @Override
    public String summary() {
        return dialect == Dialect.POSTGRES
                ? "a PostgreSQL table, upserts keyed on the window, exactly once with checkpoints"
                : "a table in a DuckDB file, upserts keyed on the window, exactly once with"
                        + " checkpoints";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> o = new ArrayList<>();
        if (dialect == Dialect.POSTGRES) {
            o.add(OptionSpec.required("url", Type.STRING, "jdbc:postgresql://HOST:PORT/DATABASE"));
        } else {
            o.add(
                    OptionSpec.required(
                            "path",
                            Type.STRING,
                            "the database file, relative to the working directory"));
        }
        o.add(
                OptionSpec.required(
                        "table",
                        Type.STRING,
                        "created from the row type when missing, else checked against it"
                                + " (name or schema.name)"));
        if (dialect == Dialect.POSTGRES) {
            o.add(OptionSpec.of("user", Type.STRING, null, "database user"));
            o.add(OptionSpec.of("password", Type.STRING, null, "password; use ${ENV_VAR}"));
        }
        o.add(
                OptionSpec.of(
                        "key",
                        Type.LIST,
                        null,
                        "fields upserts are keyed on (default: a window's key fields and"
                                + " window_start; none: append)"));
        o.add(
                OptionSpec.of(
                        "batch_size",
                        Type.INTEGER,
                        DEFAULT_BATCH_SIZE,
                        dialect == Dialect.POSTGRES
                                ? "rows collected (newest per key) before they are copied into the"
                                        + " checkpoint's staging table"
                                : "rows collected (newest per key) before they are appended to the"
                                        + " checkpoint's staging table"));
        return List.copyOf(o);
    }

    @Override
    public void check(SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        if (dialect == Dialect.POSTGRES && !o.string("url").startsWith("jdbc:postgresql://")) {
            throw ctx.error(
                    o.path("url"),
                    "expected a PostgreSQL JDBC URL like"
                            + " jdbc:postgresql://localhost:5432/solana, got '"
                            + o.string("url")
                            + "'");
        }
        String table = o.string("table");
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw ctx.error(
                    o.path("table"),
                    "expected a table name (letters, digits, _; optionally schema.table), got '"
                            + table
                            + "'");
        }
        long batchSize = o.integer("batch_size");
        if (batchSize < 1 || batchSize > 1_000_000) {
            throw ctx.error(o.path("batch_size"), "expected 1 to 1000000 rows, got " + batchSize);
        }
        try {
            // typing only: no job identity is needed to check the options and the row type
            DatabaseSink.create(options(sink, o, input.type(), ctx, ""), input.type());
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    e.getMessage().startsWith("key field")
                            ? o.path("key")
                            : "sinks." + sink.id() + ".input",
                    "stream '" + input.id() + "': " + e.getMessage());
        }
    }

    @Override
    public void emit(SinkSpec sink, Options o, TypedStream input, CompileContext ctx) {
        DatabaseSinkOptions options = options(sink, o, input.type(), ctx, ctx.jobScope());
        // no keyBy on the key before the sink: measured, the shuffle cost about as much as the
        // database write (docs/BENCHMARKS.md); a window's output already reaches the sink
        // partitioned by its key fields, which the default key includes
        DataStreamSink<?> out =
                input.stream()
                        .sinkTo(DatabaseSink.create(options, input.type()))
                        .uid("sink-" + sink.id())
                        .name("Sink: " + sink.id() + " (" + options.describe() + ")");
        if (dialect == Dialect.DUCKDB) {
            out.setParallelism(1);
        }
    }

    private DatabaseSinkOptions options(
            SinkSpec sink, Options o, RowTypeInfo type, CompileContext ctx, String jobScope) {
        String url =
                dialect == Dialect.POSTGRES
                        ? o.string("url")
                        : "jdbc:duckdb:"
                                + ctx.baseDir()
                                        .resolve(o.string("path"))
                                        .toAbsolutePath()
                                        .normalize();
        List<String> key = o.list("key");
        return new DatabaseSinkOptions(
                dialect,
                sink.id(),
                jobScope,
                url,
                dialect == Dialect.POSTGRES ? o.string("user") : null,
                dialect == Dialect.POSTGRES ? o.string("password") : null,
                o.string("table"),
                key != null ? key : defaultKey(type),
                (int) (long) o.integer("batch_size"));
    }

    /** A window's result: its key fields (those before window_start) and window_start. */
    static List<String> defaultKey(RowTypeInfo type) {
        List<String> names = List.of(type.getFieldNames());
        int start = names.indexOf(WindowedAggregation.WINDOW_START);
        return start < 0 ? List.of() : names.subList(0, start + 1);
    }
}
