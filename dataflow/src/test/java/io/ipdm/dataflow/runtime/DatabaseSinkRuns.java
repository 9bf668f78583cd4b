package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.types.Row;

/**
 * The window job the database sink ITCases run: per program per minute, with allowed lateness,
 * where about one row in 40 of the source is moved 100 s back in event time so that windows re-fire
 * as updates. A JSON Lines sink next to the database sink records every firing.
 */
final class DatabaseSinkRuns {
    private DatabaseSinkRuns() {}

    static final String PIPELINE =
            """
            name: db-exactly-once
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 2s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 11, duration: 4m, transactions_per_slot: 100, target_rate: 6000, slots_per_split: 50}
            stages:
              - {id: non_vote, kind: filter, input: txs, where: "!is_vote"}
              - {id: per_program, kind: explode, input: non_vote, field: program_ids, as: program_id}
              - id: per_minute
                kind: window
                input: per_program
                key_by: [program_id]
                window: {type: tumbling, size: 1m, allowed_lateness: 10m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
                  - {name: max_cu, fn: max, field: compute_units}
            sinks:
              - {id: db, kind: KIND, input: per_minute, options: {OPTIONS}}
              - {id: out, kind: jsonl, input: per_minute, options: {path: "${OUT}/jsonl"}}
            runtime:
              parallelism: 2
              checkpoint_interval: 1s
              state_dir: "${STATE}"
              restart: {strategy: fixed-delay, attempts: 3, delay: 500ms}
            """;

    static PipelineLoader.Loaded load(String kind, String options, Path out, Path state) {
        return load(kind, options, out, state, List.of());
    }

    /** With {@code --set} overrides. */
    static PipelineLoader.Loaded load(
            String kind, String options, Path out, Path state, List<String> sets) {
        String yaml = PIPELINE.replace("KIND", kind).replace("OPTIONS", options);
        return PipelineLoader.parse(
                yaml,
                "db-exactly-once.yaml",
                sets,
                Map.of("OUT", out.toString(), "STATE", state.toString()));
    }

    static RunResult run(PipelineLoader.Loaded loaded, RunOptions options, Path base)
            throws Exception {
        return InterruptedRuns.run(CompiledPipeline.compile(loaded, base), options);
    }

    /** Every stream passes through {@code tap} (late rows, failures). */
    static RunResult run(PipelineLoader.Loaded loaded, UnaryOperator<TypedStream> tap, Path base)
            throws Exception {
        return InterruptedRuns.run(
                CompiledPipeline.compile(loaded, base, tap), RunOptions.defaults());
    }

    /** Late rows always; a failure once after {@code failAfter} source rows when above 0. */
    static TypedStream lateRows(TypedStream s, long failAfter) {
        if (!s.id().equals("txs")) {
            return s;
        }
        var shifted =
                s.stream()
                        .map(new ShiftBack(s.type().getFieldIndex("block_time")))
                        .returns(s.type())
                        .uid(CompileContext.uid("txs", "shift-back"));
        if (failAfter > 0) {
            shifted =
                    shifted.map(new FailOnce(failAfter))
                            .returns(s.type())
                            .uid(CompileContext.uid("txs", "fail-once"));
        }
        var timed =
                shifted.assignTimestampsAndWatermarks(
                                EventTimeWatermarks.forFieldPerEvent(
                                        s.type(),
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ofSeconds(2)))
                        .uid(CompileContext.uid("txs", "late-timestamps"));
        return new TypedStream(s.id(), timed, s.type(), s.keyFields(), s.eventTime());
    }

    /** Moves one row in 40 (by content, so every run moves the same rows) 100 s back. */
    static final class ShiftBack implements MapFunction<Row, Row> {
        private final int field;

        ShiftBack(int field) {
            this.field = field;
        }

        @Override
        public Row map(Row row) {
            if ((row.hashCode() & 0x7fffffff) % 40 == 0) {
                Row copy = Row.copy(row);
                copy.setField(field, ((Long) row.getField(field)) - 100);
                return copy;
            }
            return row;
        }
    }

    /** A table's rows as "col=value, ..." strings, ordered by the key columns. */
    static List<String> table(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT * FROM " + table + " ORDER BY program_id, window_start")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    b.append(i == 1 ? "" : ", ")
                            .append(md.getColumnName(i))
                            .append('=')
                            .append(rs.getObject(i));
                }
                rows.add(b.toString());
            }
        }
        return rows;
    }

    /**
     * The sinks' staging tables still in the database: none once every checkpoint's batch is merged
     * (each merge drops its table; a restarted job drops those of its failed run).
     */
    static List<String> stagingTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT table_name FROM information_schema.tables"
                                        + " WHERE table_name LIKE 'ipdm_stage_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * The last firing of every window in the JSON Lines output (a re-fired window only grows), in
     * the table's format and order; also asserts that some windows re-fired.
     */
    static List<String> lastFirings(Path out) {
        List<JsonNode> all = JsonLinesFiles.read(out.resolve("jsonl"));
        Map<String, JsonNode> last = new TreeMap<>();
        Map<String, Integer> updates = new HashMap<>();
        for (JsonNode n : all) {
            String key = n.get("program_id").asText() + "\u0000" + n.get("window_start").asLong();
            JsonNode prev = last.get(key);
            if (prev == null || n.get("txs").asLong() > prev.get("txs").asLong()) {
                last.put(key, n);
            }
            if (n.has("_op") && n.get("_op").asText().equals("+U")) {
                updates.merge(key, 1, Integer::sum);
            }
        }
        assertThat(updates).as("windows re-fired by late rows").isNotEmpty();
        List<String> rows = new ArrayList<>();
        for (JsonNode n : last.values()) {
            rows.add(
                    "program_id="
                            + n.get("program_id").asText()
                            + ", window_start="
                            + n.get("window_start").asLong()
                            + ", window_end="
                            + n.get("window_end").asLong()
                            + ", txs="
                            + n.get("txs").asLong()
                            + ", fees="
                            + n.get("fees").asLong()
                            + ", max_cu="
                            + n.get("max_cu").asLong());
        }
        return rows;
    }
}
