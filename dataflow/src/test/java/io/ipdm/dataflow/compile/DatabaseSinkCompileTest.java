package io.ipdm.dataflow.compile;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mistakes in a postgres or duckdb sink's options are reported at their line before the job starts.
 */
class DatabaseSinkCompileTest {
    private static final String PIPELINE =
            """
            name: d
            event_time: {field: block_time}
            sources:
              - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 10}}
            stages:
              - id: w
                kind: window
                input: txs
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates: [{name: n, fn: count}]
            sinks:
              - id: out
                kind: ${KIND}
                input: ${IN}
                options: {${OPTS}}
            """;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "postgres|w|url: 'postgres://h/db', table: t|d.yaml:16:21: sinks.out.options.url:"
                        + " expected a PostgreSQL JDBC URL like"
                        + " jdbc:postgresql://localhost:5432/solana, got 'postgres://h/db'",
                "postgres|w|url: 'jdbc:postgresql://h/db'|d.yaml:16:14: sinks.out.options: missing"
                        + " required option 'table'",
                "duckdb|w|path: r.duckdb, table: 'drop table x'|d.yaml:16:39: sinks.out.options.table:"
                        + " expected a table name (letters, digits, _; optionally schema.table),"
                        + " got 'drop table x'",
                "duckdb|w|path: r.duckdb, table: t, key: [payer]|d.yaml:16:46: sinks.out.options.key:"
                        + " stream 'w': key field 'payer' is not a field of the stream",
                "duckdb|w|path: r.duckdb, table: t, batch: 5|d.yaml:16:48: sinks.out.options.batch:"
                        + " unknown option 'batch' (did you mean 'path'?); allowed options:"
                        + " path, table, key, batch_size",
                "postgres|txs|url: 'jdbc:postgresql://h/db', table: t|d.yaml:15:12: sinks.out.input:"
                        + " stream 'txs': field 'program_ids' has type BasicArrayTypeInfo<String>,"
                        + " which has no PostgreSQL column type (scalar fields only: integers,"
                        + " floats, booleans, strings, bytes, decimals); drop it with a project stage"
            })
    void reportsExactMessage(String kind, String input, String options, String expected) {
        assertCompileError(
                        PIPELINE.replace("${KIND}", kind)
                                .replace("${IN}", input)
                                .replace("${OPTS}", options),
                        "d.yaml",
                        Map.of())
                .hasMessage(expected);
    }
}
