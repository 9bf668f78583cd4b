package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.StageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.types.Row;

/**
 * {@code kind: sql}: a Flink SQL query over streams of the pipeline. Each stream named in {@code
 * input} is a table of that name, its fields as columns and, when it has event time, a {@code
 * rowtime} column (TIMESTAMP_LTZ(3), the stream's watermarks) for window table functions, interval
 * joins and {@code MATCH_RECOGNIZE}. The result is a stream like any other stage's: timestamps are
 * BIGINT epoch milliseconds (as a window stage's {@code window_start}), updates and retractions
 * keep their row kind. Mistakes Flink's parser and validator find are reported at their line and
 * column in the YAML file ({@link SqlTables}).
 */
public final class SqlKind implements StageKind<StageSpec.Sql> {
    /** "line 3, column 12" in Calcite's and Flink's messages. */
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    /** "Invalid function call:\n default_catalog.prio.fee_per_cu(BIGINT, INT)": no position. */
    private static final Pattern CALL =
            Pattern.compile("Invalid function call:\\s*(?:[\\w`]+\\.)?([\\w`]+)\\.([\\w`]+)\\(");

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String summary() {
        return "a Flink SQL query over pipeline streams (windows, joins, Top-N); input: a list";
    }

    @Override
    public Class<StageSpec.Sql> specType() {
        return StageSpec.Sql.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.required(
                        "query",
                        Type.STRING,
                        "Flink SQL; each input stream is a table of its id with rowtime and"
                                + " proctime columns"),
                OptionSpec.of(
                        "tables",
                        Type.LIST,
                        null,
                        "lookup tables from files: {name, path (.csv with header or .jsonl),"
                                + " columns: {name: STRING | BIGINT | INT | DOUBLE | BOOLEAN}}"));
    }

    @Override
    public StreamType type(StageSpec.Sql stage, StreamType input, CompileContext ctx) {
        return type(stage, List.of(input), ctx);
    }

    @Override
    public TypedStream emit(StageSpec.Sql stage, TypedStream input, CompileContext ctx) {
        return emit(stage, List.of(input), ctx);
    }

    @Override
    public StreamType type(StageSpec.Sql stage, List<StreamType> inputs, CompileContext ctx) {
        // Plans the query over placeholder streams in a scratch environment: every mistake the
        // planner finds shows in `ipdm validate`, before a job starts.
        StreamExecutionEnvironment scratch =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        List<TypedStream> placeholders = new ArrayList<>();
        for (StreamType in : inputs) {
            placeholders.add(
                    new TypedStream(
                            in.id(),
                            SqlTables.placeholder(scratch, in.type()),
                            in.type(),
                            in.keyFields(),
                            in.eventTime()));
        }
        SqlTables.Result r = plan(stage, placeholders, scratch, ctx);
        return new StreamType(stage.id(), r.type(), List.of(), inputs.get(0).eventTime());
    }

    @Override
    public TypedStream emit(StageSpec.Sql stage, List<TypedStream> inputs, CompileContext ctx) {
        SqlTables.Result r = plan(stage, inputs, ctx.env(), ctx);
        return new TypedStream(
                stage.id(), r.stream(), r.type(), List.of(), inputs.get(0).eventTime());
    }

    private static SqlTables.Result plan(
            StageSpec.Sql stage,
            List<TypedStream> inputs,
            StreamExecutionEnvironment env,
            CompileContext ctx) {
        String path = "stages." + stage.id() + ".query";
        SqlTables tables = SqlTables.of(env);
        for (TypedStream in : inputs) {
            try {
                tables.register(in);
            } catch (IllegalArgumentException e) {
                throw ctx.error("stages." + stage.id() + ".input", e.getMessage());
            }
        }
        for (int i = 0; i < stage.tables().size(); i++) {
            StageSpec.SqlTable t = stage.tables().get(i);
            String at = "stages." + stage.id() + ".tables[" + i + "]";
            try {
                FileTables.read(
                        ctx.moduleDir().resolve(t.path()),
                        List.copyOf(t.columns().keySet()),
                        List.copyOf(t.columns().values()));
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw ctx.error(at + ".path", e.getMessage());
            }
            tables.register(t, ctx.moduleDir());
        }
        Map<String, String> modules = SqlWasmFunctions.register(stage, tables, ctx);
        Table table;
        try {
            table = tables.query(stage.query());
        } catch (RuntimeException e) {
            throw error(path, stage.query(), modules, e, ctx);
        }
        RowTypeInfo type;
        try {
            type = SqlTables.rowType(table);
        } catch (IllegalArgumentException e) {
            throw ctx.error(path, e.getMessage());
        }
        DataStream<Row> out;
        try {
            out = tables.toStream(table, type, stage.id());
        } catch (RuntimeException e) {
            throw error(path, stage.query(), modules, e, ctx);
        }
        return new SqlTables.Result(out, type);
    }

    /** The planner's message at its position inside the query, mapped into the YAML file. */
    static PipelineException error(
            String path,
            String query,
            Map<String, String> modules,
            RuntimeException e,
            CompileContext ctx) {
        String message = message(e);
        Matcher m = POSITION.matcher(message);
        String text = clean(message).replace("default_catalog.", "");
        // a function's own reason (IPDM's aggregates check their arguments) is the innermost
        String reason = innermost(e);
        if (reason != null && !text.contains(reason.strip().lines().findFirst().orElse(""))) {
            text += System.lineSeparator() + "    " + reason.strip();
        }
        String hint = SqlWasmFunctions.unknownFunction(message, query, modules);
        if (hint != null) {
            text += System.lineSeparator() + "    " + hint;
        }
        if (m.find()) {
            return ctx.blockError(
                    path, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text);
        }
        int[] at = call(message, query);
        if (at != null) {
            return ctx.blockError(path, at[0], at[1], text);
        }
        return ctx.error(path, text);
    }

    /**
     * Flink reports a function call its type inference refused without a position: the first call
     * of that {@code database.function} in the query, as line and column, else null.
     */
    private static int[] call(String message, String query) {
        Matcher c = CALL.matcher(message);
        if (!c.find()) {
            return null;
        }
        Matcher q =
                Pattern.compile(
                                "(?<![\\w.`])`?"
                                        + Pattern.quote(c.group(1).replace("`", ""))
                                        + "`?\\s*\\.\\s*`?"
                                        + Pattern.quote(c.group(2).replace("`", ""))
                                        + "`?\\s*\\(",
                                Pattern.CASE_INSENSITIVE)
                        .matcher(query);
        if (!q.find()) {
            return null;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < q.start(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, q.start() - lineStart + 1};
    }

    /**
     * The most specific message in the cause chain that says where, else the outermost that is not
     * a planner rule's wrapper.
     */
    private static String message(Throwable e) {
        String first = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            // the planner wraps the reason in "Error while applying rule ...": keep the reason
            if (first == null
                    || first.startsWith("Error while applying rule")
                    || first.startsWith("Error occurred while applying rule")) {
                first = m;
            }
            if (POSITION.matcher(m).find()) {
                return m;
            }
        }
        return first == null ? e.toString() : first;
    }

    /** The innermost message of a failed function call, else null. */
    private static String innermost(Throwable e) {
        String last = null;
        boolean call = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null) {
                call |= t.getMessage().contains("Invalid function call");
                last = t.getMessage();
            }
        }
        return call && last != null && !last.contains("Invalid function call") ? last : null;
    }

    /** Drops Flink's "SQL ... failed." preamble and the position (given as line:column). */
    static String clean(String message) {
        String s = message.strip();
        s = s.replaceFirst("^SQL (parse|validation) failed\\.\\s*", "");
        s = s.replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "");
        s = s.replaceFirst("^At line \\d+, column \\d+: ", "");
        s = s.replaceFirst(" at line \\d+, column \\d+\\.", ".");
        // Calcite lists every token it expected: the first lines say enough
        String[] lines = s.split("\\R");
        StringBuilder b = new StringBuilder("SQL: ").append(lines[0]);
        for (int i = 1; i < Math.min(lines.length, 6); i++) {
            b.append(System.lineSeparator()).append("    ").append(lines[i].strip());
        }
        if (lines.length > 6) {
            b.append(" ...");
        }
        return b.toString();
    }
}
