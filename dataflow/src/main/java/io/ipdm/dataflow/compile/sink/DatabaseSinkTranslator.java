package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.jdbc.DatabaseSink;
import io.ipdm.connectors.jdbc.DatabaseSinkOptions;
import io.ipdm.connectors.jdbc.Dialect;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.operators.window.WindowedAggregation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * {@code kind: postgres} and {@code kind: duckdb}: rows into a database table, upserted on the key
 * fields (by default a window's key fields and {@code window_start}) and committed with checkpoints
 * ({@link DatabaseSink}).
 *
 * <p>postgres options: {@code url} (jdbc:postgresql://HOST:PORT/DATABASE), {@code table}, {@code
 * user}, {@code password}, {@code key}, {@code batch_size}. duckdb options: {@code path} (the
 * database file, relative to the working directory), {@code table}, {@code key}, {@code
 * batch_size}. A DuckDB file is open in one process only, so the duckdb sink runs as one subtask.
 */
public final class DatabaseSinkTranslator implements SinkTranslator {
    static final int DEFAULT_BATCH_SIZE = 5000;
    private final Dialect dialect;

    public DatabaseSinkTranslator(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        String url;
        String user = null;
        String password = null;
        if (dialect == Dialect.POSTGRES) {
            url = o.string("url", null);
            if (!url.startsWith("jdbc:postgresql://")) {
                throw ctx.error(
                        path + ".url",
                        "expected a PostgreSQL JDBC URL like"
                                + " jdbc:postgresql://localhost:5432/solana, got '"
                                + url
                                + "'");
            }
            user = o.optionalString("user");
            password = o.optionalString("password");
        } else {
            String file = o.string("path", null);
            url = "jdbc:duckdb:" + ctx.baseDir().resolve(file).toAbsolutePath().normalize();
        }
        String table = o.string("table", null);
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw ctx.error(
                    path + ".table",
                    "expected a table name (letters, digits, _; optionally schema.table), got '"
                            + table
                            + "'");
        }
        List<String> key = o.optionalList("key");
        long batchSize = o.longValue("batch_size", DEFAULT_BATCH_SIZE);
        o.checkKnown();
        if (batchSize < 1 || batchSize > 1_000_000) {
            throw ctx.error(path + ".batch_size", "expected 1 to 1000000 rows, got " + batchSize);
        }
        if (key == null) {
            key = defaultKey(input);
        }
        DatabaseSinkOptions options =
                new DatabaseSinkOptions(
                        dialect, sink.id(), url, user, password, table, key, (int) batchSize);
        DatabaseSink db;
        try {
            db = DatabaseSink.create(options, input.type());
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    e.getMessage().startsWith("key field")
                            ? path + ".key"
                            : "sinks." + sink.id() + ".input",
                    "stream '" + input.id() + "': " + e.getMessage());
        }
        DataStreamSink<?> out =
                input.stream()
                        .sinkTo(db)
                        .uid("sink-" + sink.id())
                        .name("Sink: " + sink.id() + " (" + options.describe() + ")");
        if (dialect == Dialect.DUCKDB) {
            out.setParallelism(1);
        }
    }

    /** A window's result: its key fields (those before window_start) and window_start. */
    static List<String> defaultKey(TypedStream input) {
        List<String> names = input.fieldNames();
        int start = names.indexOf(WindowedAggregation.WINDOW_START);
        if (start < 0) {
            return List.of();
        }
        return new ArrayList<>(names.subList(0, start + 1));
    }
}
