package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows per second into each database: an IPDM job writing synthetic transactions (upserts keyed on
 * signature, committed per checkpoint) next to a plain batched JDBC insert of the same rows by a
 * Java client, in the same run. Not part of the suite (no *Test/*ITCase suffix); docs/BENCHMARKS.md
 * has the command.
 */
class DatabaseSinkBench {
    static final int BATCH = 5000;
    static final String PIPELINE =
            """
            name: db-bench
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 1, duration: DURATION, transactions_per_slot: 1000, target_rate: 0}
            stages:
              - id: rows
                kind: project
                input: txs
                select: {signature: signature, slot: slot, fee: fee, compute_units: compute_units, success: success}
            sinks:
              - {id: db, kind: KIND, input: rows, options: {OPTIONS}}
            runtime: {parallelism: 2, checkpoint_interval: 2s, state_dir: "${STATE}"}
            """;

    record Rows(List<Object[]> rows) {}

    static double runJob(String kind, String options, Path tmp) throws Exception {
        String duration = System.getProperty("ipdm.bench.duration", "4m");
        String yaml =
                PIPELINE.replace("DURATION", duration)
                        .replace("KIND", kind)
                        .replace("OPTIONS", options);
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        yaml,
                        "db-bench.yaml",
                        List.of(),
                        Map.of("STATE", tmp.resolve(kind).toString()));
        long t0 = System.nanoTime();
        RunResult r = DatabaseSinkRuns.run(loaded, RunOptions.defaults(), tmp);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        return (System.nanoTime() - t0) / 1e9;
    }

    static List<Object[]> read(Connection c, String table) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT signature, slot, fee, compute_units, success FROM "
                                        + table)) {
            while (rs.next()) {
                rows.add(
                        new Object[] {
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getBoolean(5)
                        });
            }
        }
        return rows;
    }

    /** The baseline: one transaction, JDBC batches of BATCH plain INSERTs. */
    static double plainInsert(Connection c, List<Object[]> rows, String table, String text)
            throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE "
                            + table
                            + " (signature "
                            + text
                            + " PRIMARY KEY, slot BIGINT, fee BIGINT, compute_units BIGINT,"
                            + " success BOOLEAN)");
        }
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Object[] r : rows) {
                ps.setString(1, (String) r[0]);
                ps.setLong(2, (Long) r[1]);
                ps.setLong(3, (Long) r[2]);
                ps.setLong(4, (Long) r[3]);
                ps.setBoolean(5, (Boolean) r[4]);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The same job into a jsonl sink: cluster start-up, generating and projecting the rows, and
     * checkpoints, without a database; subtracted to get the database sink's own share.
     */
    static double referenceJob(Path tmp) throws Exception {
        return runJob("jsonl", "path: \"" + tmp.resolve("jsonl") + "\"", tmp);
    }

    static void report(String db, long rows, double job, double reference, double plain) {
        double sinkSeconds = Math.max(0.001, job - reference);
        System.out.printf(
                Locale.ROOT,
                "BENCH %s: %,d rows; ipdm job %.1f s = %,.0f rows/s end to end; same job into jsonl"
                        + " %.1f s, so the database sink's share %.1f s = %,.0f rows/s; plain"
                        + " batched JDBC insert %.1f s = %,.0f rows/s; sink share / plain %.2f,"
                        + " end to end / plain %.2f%n",
                db,
                rows,
                job,
                rows / job,
                reference,
                sinkSeconds,
                rows / sinkSeconds,
                plain,
                rows / plain,
                plain / sinkSeconds,
                plain / job);
    }

    @Test
    void postgres(@TempDir Path tmp) throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(true)) {
            referenceJob(tmp.resolve("warm-up")); // JIT and class loading paid by neither
            double job =
                    runJob(
                            "postgres",
                            "url: \""
                                    + pg.url()
                                    + "\", table: txs, user: ipdm, password: \""
                                    + LocalPostgres.PASSWORD
                                    + "\", key: [signature]",
                            tmp);
            double reference = referenceJob(tmp);
            try (Connection c =
                    DriverManager.getConnection(
                            pg.url() + "?reWriteBatchedInserts=true",
                            LocalPostgres.USER,
                            LocalPostgres.PASSWORD)) {
                List<Object[]> rows = read(c, "txs");
                report(
                        "postgres",
                        rows.size(),
                        job,
                        reference,
                        plainInsert(c, rows, "txs_plain", "TEXT"));
            }
        }
    }

    @Test
    void duckdb(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bench.duckdb");
        referenceJob(tmp.resolve("warm-up")); // JIT and class loading paid by neither
        double job = runJob("duckdb", "path: \"" + file + "\", table: txs, key: [signature]", tmp);
        double reference = referenceJob(tmp);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            List<Object[]> rows = read(c, "txs");
            report(
                    "duckdb",
                    rows.size(),
                    job,
                    reference,
                    plainInsert(c, rows, "txs_plain", "VARCHAR"));
        }
    }
}
