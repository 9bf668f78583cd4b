package io.ipdm.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging tables on an embedded DuckDB file: which tables a restarted writer drops as orphans, and
 * what a merge leaves in the target (the newest row per key across flushes, deleted keys gone).
 */
class StageTableTest {
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.STRING, Types.LONG}, new String[] {"k", "v"});

    static TableLayout layout() {
        return new TableLayout(Dialect.DUCKDB, "t", TYPE, List.of("k"));
    }

    static Connection open(Path dir) throws Exception {
        return new org.duckdb.DuckDBDriver()
                .connect("jdbc:duckdb:" + dir.resolve("s.duckdb"), new Properties());
    }

    static List<String> query(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void restartedWriterDropsOnlyItsTablesBegunAfterTheRestoredCheckpoint(@TempDir Path dir)
            throws Exception {
        TableLayout t = layout();
        try (Connection c = open(dir);
                Statement st = c.createStatement()) {
            for (String name :
                    List.of(
                            "ipdm_stage_abc_0_3",
                            "ipdm_stage_abc_0_5",
                            "ipdm_stage_abc_0_7",
                            "ipdm_stage_abc_1_5",
                            "ipdm_stage_abc_2_9",
                            "ipdm_stage_abd_0_9",
                            "ipdm_stage_abc_restored",
                            "other")) {
                st.execute("CREATE TABLE " + name + " (x INTEGER)");
            }
            // subtask 0 of 2 after a restore from checkpoint 5: its own from 5 on (their rows
            // come again), and those of subtask 2, which no longer runs
            assertThat(StageTable.dropOrphans(c, t, "abc", 0, 2, 5))
                    .containsExactlyInAnyOrder(
                            "ipdm_stage_abc_0_5", "ipdm_stage_abc_0_7", "ipdm_stage_abc_2_9");
            assertThat(StageTable.dropOrphans(c, t, "abc", 1, 2, 5))
                    .containsExactly("ipdm_stage_abc_1_5");
            assertThat(
                            query(
                                    c,
                                    "SELECT table_name FROM information_schema.tables ORDER BY"
                                            + " table_name"))
                    .containsExactly(
                            "ipdm_stage_abc_0_3", // merged with checkpoint 5's committables
                            "ipdm_stage_abc_restored",
                            "ipdm_stage_abd_0_9", // another sink's
                            "other");
            assertThat(StageTable.exists(c, t, "ipdm_stage_abc_0_3")).isTrue();
            assertThat(StageTable.exists(c, t, "ipdm_stage_abc_0_5")).isFalse();
        }
    }

    static DatabaseSinkOptions options(String jobScope, String sinkId) {
        return new DatabaseSinkOptions(
                Dialect.DUCKDB,
                sinkId,
                jobScope,
                "jdbc:duckdb:/x.duckdb",
                null,
                null,
                "t",
                List.of("k"),
                100);
    }

    @Test
    void tagsAreScopedToTheJob() {
        TableLayout t = layout();
        String a = StageTable.tag(options("bafyjoba", "db"), t);
        assertThat(StageTable.tag(options("bafyjoba", "db"), t))
                .as("a restored run of the same job finds its tables")
                .isEqualTo(a);
        assertThat(StageTable.tag(options("bafyjobb", "db"), t))
                .as("another job on the same table and sink id")
                .isNotEqualTo(a);
        assertThat(StageTable.tag(options("bafyjoba", "db2"), t)).isNotEqualTo(a);
        // without a job identity: the names builds before job scoping gave (sink id and table)
        assertThat(StageTable.tag(options("", "db"), t)).isEqualTo("98bc0fb118");
        assertThat(StageTable.tag(options(null, "db"), t)).isEqualTo("98bc0fb118");
    }

    @Test
    void aJobStartingDropsNoStagingTableOfAnotherJobOnTheSameTableAndSinkId(@TempDir Path dir)
            throws Exception {
        TableLayout t = layout();
        String a = StageTable.tag(options("bafyjoba", "db"), t);
        String b = StageTable.tag(options("bafyjobb", "db"), t);
        try (Connection c = open(dir);
                Statement st = c.createStatement()) {
            // job a is running: its subtask 0 copies the interval after checkpoint 4
            st.execute("CREATE TABLE " + StageTable.name(a, 0, 4) + " (x INTEGER)");
            st.execute("CREATE TABLE " + StageTable.name(b, 0, 2) + " (x INTEGER)");
            // job b restarts from its checkpoint 1 (subtask 0 of 1)
            assertThat(StageTable.dropOrphans(c, t, b, 0, 1, 1))
                    .containsExactly(StageTable.name(b, 0, 2));
            assertThat(StageTable.exists(c, t, StageTable.name(a, 0, 4))).isTrue();
        }
    }

    @Test
    void mergeKeepsTheNewestRowPerKeyAndDeletes(@TempDir Path dir) throws Exception {
        TableLayout t = layout();
        try (Connection c = open(dir);
                Statement st = c.createStatement()) {
            st.execute(t.createSql());
            st.execute("INSERT INTO t VALUES ('a', 1), ('b', 1), ('z', 1)");
            try (StageWriter w = StageWriter.open(c, t, "ipdm_stage_x_0_0", false)) {
                w.append(Row.ofKind(RowKind.INSERT, "a", 10L), 0);
                w.append(Row.ofKind(RowKind.INSERT, "c", 10L), 0);
                w.append(Row.ofKind(RowKind.UPDATE_AFTER, "b", 10L), 0);
                w.flush();
                w.append(Row.ofKind(RowKind.UPDATE_AFTER, "a", 20L), 1);
                w.append(Row.ofKind(RowKind.DELETE, "b", 10L), 1);
                w.append(Row.ofKind(RowKind.DELETE, "c", 10L), 1);
                w.append(Row.ofKind(RowKind.INSERT, "c", 30L), 2);
                w.finish();
            }
            String stage = StageTable.qualified(t, "ipdm_stage_x_0_0");
            st.executeUpdate(StageTable.mergeSql(t, stage));
            st.executeUpdate(StageTable.deleteSql(t, stage));
            assertThat(query(c, "SELECT k || '=' || v FROM t ORDER BY k"))
                    .containsExactly("a=20", "c=30", "z=1");
        }
    }
}
